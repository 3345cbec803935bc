import { useParticipants } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { initials } from '../home/AccountMenu';
import { useI18n } from '../i18n/i18n';
import { LobbyRequests } from './LobbyRequests';
import { nameOf } from './MeetingView';
import { SidePanel } from './SidePanel';
import type { Lobby } from './useLobby';
import { useStageState } from './stage/StageState';

/** Raised hands first, in the order they went up; everyone else as they came. */
function handsFirst<P extends { identity: string }>(people: P[], hands: Map<string, number>): P[] {
  const place = (p: P) => hands.get(p.identity) ?? Infinity;
  return people.slice().sort((a, b) => place(a) - place(b));
}

/** Who is in the meeting (and, for hosts, who waits at the door). */
export function ParticipantsPanel({ lobby, onClose }: { lobby: Lobby; onClose: () => void }) {
  const { t } = useI18n();
  const participants = useParticipants();
  const { hands, host } = useStageState();
  return (
    <SidePanel title={t('people.title', { count: participants.length })} onClose={onClose} testId="people-panel">
      <div className="panel-body">
        <LobbyRequests lobby={lobby} />
        <ul className="people" data-testid="people-list">
          {handsFirst(participants, hands).map((p) => {
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
                {hands.has(p.identity) && (
                  <span
                    className="person-hand"
                    role="img"
                    aria-label={host ? t('tile.handOrder', { n: hands.get(p.identity)! }) : t('tile.hand')}
                    data-testid="person-hand"
                  >
                    <span className="icon icon-hand small" aria-hidden="true" />
                    {host && <span aria-hidden="true">{hands.get(p.identity)}</span>}
                  </span>
                )}
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
