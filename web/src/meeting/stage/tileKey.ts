import type { TrackReferenceOrPlaceholder } from '@livekit/components-react';
import type { TileKey } from './rules';

export function tileKey(ref: TrackReferenceOrPlaceholder): TileKey {
  return ref.participant.identity + '/' + ref.source;
}
