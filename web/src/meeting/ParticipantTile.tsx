import {
  isTrackReference,
  useIsMuted,
  useIsSpeaking,
  VideoTrack,
  type TrackReferenceOrPlaceholder,
} from '@livekit/components-react';
import { Track } from 'livekit-client';
import { initials } from '../home/AccountMenu';
import { useI18n } from '../i18n/i18n';
import { nameOf } from './MeetingView';

/** One person (or one screen share): video or initials, name, microphone state, speaking ring. */
export function ParticipantTile({ trackRef }: { trackRef: TrackReferenceOrPlaceholder }) {
  const { t } = useI18n();
  const p = trackRef.participant;
  const speaking = useIsSpeaking(p);
  const micMuted = useIsMuted({ participant: p, source: Track.Source.Microphone });
  const videoMuted = useIsMuted(trackRef);
  const screen = trackRef.source === Track.Source.ScreenShare;
  const name = nameOf(p) + (p.isLocal ? ' ' + t('meeting.you') : '');
  const label = screen ? t('meeting.screenOf', { name }) : name;
  const showVideo = isTrackReference(trackRef) && !videoMuted;
  return (
    <figure
      className={'tile' + (speaking && !screen ? ' speaking' : '') + (screen ? ' screen' : '')}
      data-testid="tile"
      data-identity={p.identity}
      data-local={p.isLocal}
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
      <figcaption className="tile-caption">
        {!screen && micMuted && (
          <span className="icon icon-mic-off small" role="img" aria-label={t('meeting.micMuted')} />
        )}
        <span className="tile-name">{label}</span>
      </figcaption>
    </figure>
  );
}
