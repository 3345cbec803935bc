import {
  isTrackReference,
  useConnectionQualityIndicator,
  useIsMuted,
  useIsSpeaking,
  VideoTrack,
  type TrackReferenceOrPlaceholder,
} from '@livekit/components-react';
import { ConnectionQuality, Track } from 'livekit-client';
import { initials } from '../home/AccountMenu';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';
import { nameOf } from './MeetingView';
import { tileKey } from './stage/tileKey';
import { useStageState } from './stage/StageState';

const QUALITY: Record<ConnectionQuality, MessageKey> = {
  [ConnectionQuality.Excellent]: 'tile.qualityExcellent',
  [ConnectionQuality.Good]: 'tile.qualityGood',
  [ConnectionQuality.Poor]: 'tile.qualityPoor',
  [ConnectionQuality.Lost]: 'tile.qualityLost',
  [ConnectionQuality.Unknown]: 'tile.qualityUnknown',
};

/**
 * One person (or one screen share): video or initials, name, guest marker, microphone state,
 * raised hand (with its place in the queue for hosts), connection quality, speaking ring, a pin
 * button, and the reactions they send.
 */
export function ParticipantTile({ trackRef }: { trackRef: TrackReferenceOrPlaceholder }) {
  const { t } = useI18n();
  const { host, hands, pinned, setPinned, reactions } = useStageState();
  const p = trackRef.participant;
  const speaking = useIsSpeaking(p);
  const micMuted = useIsMuted({ participant: p, source: Track.Source.Microphone });
  const videoMuted = useIsMuted(trackRef);
  const { quality } = useConnectionQualityIndicator({ participant: p });
  const screen = trackRef.source === Track.Source.ScreenShare;
  const name = nameOf(p) + (p.isLocal ? ' ' + t('meeting.you') : '');
  const label = screen ? t('meeting.screenOf', { name }) : name;
  const showVideo = isTrackReference(trackRef) && !videoMuted;
  const key = tileKey(trackRef);
  const isPinned = pinned === key;
  const hand = screen ? undefined : hands.get(p.identity);
  const guest = p.attributes?.is_authenticated === 'false';
  const mine = screen ? [] : reactions.filter((r) => r.identity === p.identity);
  return (
    <figure
      className={'tile' + (speaking && !screen ? ' speaking' : '') + (screen ? ' screen' : '') + (hand ? ' hand' : '')}
      data-testid="tile"
      data-identity={p.identity}
      data-source={trackRef.source}
      data-local={p.isLocal}
      data-pinned={isPinned}
    >
      {showVideo ? (
        <VideoTrack
          trackRef={trackRef}
          className={p.isLocal && !screen ? 'mirror' : undefined}
          data-testid="tile-video"
        />
      ) : (
        <div className="tile-avatar" aria-hidden="true">
          <span>{initials(nameOf(p))}</span>
        </div>
      )}
      {hand !== undefined && (
        <span className="tile-hand" data-testid="tile-hand" role="img" aria-label={host ? t('tile.handOrder', { n: hand }) : t('tile.hand')}>
          <span className="icon icon-hand small" aria-hidden="true" />
          {host && <span className="tile-hand-order" data-testid="tile-hand-order" aria-hidden="true">{hand}</span>}
        </span>
      )}
      <button
        type="button"
        className="tile-pin"
        aria-pressed={isPinned}
        onClick={() => setPinned(isPinned ? null : key)}
        data-testid="tile-pin"
      >
        <span className="icon icon-pin small" aria-hidden="true" />
        <span className="visually-hidden">{t(isPinned ? 'tile.unpin' : 'tile.pin', { name: label })}</span>
      </button>
      {mine.length > 0 && (
        <div className="tile-reactions" aria-hidden="true" data-testid="tile-reactions">
          {mine.map((r) => (
            <span key={r.id} className="reaction-burst">
              {r.emoji}
            </span>
          ))}
        </div>
      )}
      <figcaption className="tile-caption">
        {!screen && micMuted && (
          <span className="icon icon-mic-off small" role="img" aria-label={t('meeting.micMuted')} data-testid="tile-muted" />
        )}
        <span className="tile-name">{label}</span>
        {guest && !screen && <span className="tag">{t('lobby.guest')}</span>}
        {!screen && (
          <span className={'quality q-' + quality} role="img" aria-label={t(QUALITY[quality])} title={t(QUALITY[quality])} data-testid="tile-quality" data-quality={quality}>
            <i /><i /><i />
          </span>
        )}
      </figcaption>
    </figure>
  );
}
