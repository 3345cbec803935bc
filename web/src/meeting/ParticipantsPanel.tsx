import { useParticipants } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { initials } from '../home/AccountMenu';
import { useI18n } from '../i18n/i18n';
import { LobbyRequests } from './LobbyRequests';
import { nameOf } from './MeetingView';
import { SidePanel } from './SidePanel';
import type { Lobby } from './useLobby';

/** Who is in the meeting (and, for hosts, who waits at the door). */
export function ParticipantsPanel({ lobby, onClose }: { lobby: Lobby; onClose: () => void }) {
  const { t } = useI18n();
  const participants = useParticipants();
  return (
    <SidePanel title={t('people.title', { count: participants.length })} onClose={onClose} testId="people-panel">
      <div className="panel-body">
        <LobbyRequests lobby={lobby} />
        <ul className="people" data-testid="people-list">
          {participants.map((p) => {
            const mic = p.getTrackPublication(Track.Source.Microphone);
            const muted = !mic || mic.isMuted;
            return (
              <li key={p.identity} className="person">
                <span className="avatar small" aria-hidden="true">
                  {initials(nameOf(p))}
                </span>
                <span className="person-name">
                  {nameOf(p)}
                  {p.isLocal && ' ' + t('meeting.you')}
                  {p.attributes?.is_authenticated === 'false' && (
                    <span className="tag">{t('lobby.guest')}</span>
                  )}
                </span>
                {muted && (
                  <span className="icon icon-mic-off small" role="img" aria-label={t('meeting.micMuted')} />
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </SidePanel>
  );
}
