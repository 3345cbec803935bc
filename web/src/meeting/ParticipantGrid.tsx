import { useTracks } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { ParticipantTile } from './ParticipantTile';

/**
 * Everyone's camera (or their initials), screen shares first and wider. The grid's shape comes
 * from the tile count through a data attribute the stylesheet reads.
 */
export function ParticipantGrid() {
  const tracks = useTracks(
    [
      { source: Track.Source.ScreenShare, withPlaceholder: false },
      { source: Track.Source.Camera, withPlaceholder: true },
    ],
    { onlySubscribed: false },
  );
  const count = Math.min(tracks.length, 17);
  return (
    <ul className="grid" data-count={count} data-testid="participant-grid">
      {tracks.map((ref) => (
        <li
          key={`${ref.participant.identity}/${ref.source}`}
          className={ref.source === Track.Source.ScreenShare ? 'cell screen' : 'cell'}
        >
          <ParticipantTile trackRef={ref} />
        </li>
      ))}
    </ul>
  );
}
