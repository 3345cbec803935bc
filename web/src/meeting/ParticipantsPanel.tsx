import { useParticipants } from '@livekit/components-react';
import type { Participant } from 'livekit-client';
import { useState } from 'react';
import { moderate, moderateAll, type MeetingAction } from '../api/moderation';
import type { Room } from '../api/rooms';
import { useI18n } from '../i18n/i18n';
import { HandQueue } from './HandQueue';
import { handQueue } from './hands';
import { InviteButton } from './InviteDialog';
import { KnockNotificationToggle } from './KnockNotificationToggle';
import { LobbyRequests } from './LobbyRequests';
import { PersonRow } from './PersonRow';
import { SidePanel } from './SidePanel';
import type { Lobby } from './useLobby';
import { useRoomDetails } from './useRoomDetails';

/**
 * Who is in the meeting, with what the viewer may do: for hosts, who waits at the door, the hand
 * queue, muting everyone and lowering every hand, and each person's actions.
 */
export function ParticipantsPanel({
  room,
  host,
  lobby,
  onClose,
}: {
  room: Room;
  host: boolean;
  lobby: Lobby;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const participants = useParticipants();
  const details = useRoomDetails(room.code);
  const [error, setError] = useState('');
  const queue = handQueue(participants);
  const canMute = host || details?.everyone_can_mute === true;

  const all = async (action: MeetingAction) => {
    setError('');
    try {
      await moderateAll(room.code, action);
    } catch {
      setError(t('host.actionFailed'));
    }
  };
  const lower = async (p: Participant) => {
    setError('');
    try {
      await moderate(room.code, 'lower_hand', p.identity);
    } catch {
      setError(t('host.actionFailed'));
    }
  };

  return (
    <SidePanel title={t('people.title', { count: participants.length })} onClose={onClose} testId="people-panel">
      <div className="panel-body">
        <div className="row wrap people-tools">
          <InviteButton room={room} host={host} />
          {host && (
            <>
              <button
                type="button"
                className="button ghost dark small"
                onClick={() => void all('mute_all')}
                data-testid="mute-all"
              >
                {t('host.muteAll')}
              </button>
              {queue.length > 0 && (
                <button
                  type="button"
                  className="button ghost dark small"
                  onClick={() => void all('lower_all_hands')}
                  data-testid="lower-all-hands"
                >
                  {t('host.lowerAllHands')}
                </button>
              )}
            </>
          )}
        </div>
        <div aria-live="assertive">
          {error && (
            <p className="error" data-testid="people-error">
              {error}
            </p>
          )}
        </div>
        {host && <KnockNotificationToggle />}
        {host && <LobbyRequests lobby={lobby} />}
        <HandQueue queue={queue} host={host} onLower={(p) => void lower(p)} />
        <ul
          className="people"
          data-testid="people-list"
          data-settings={details ? 'loaded' : 'loading'}
        >
          {participants.map((p) => {
            const position = queue.indexOf(p);
            return (
              <PersonRow
                key={p.identity}
                participant={p}
                code={room.code}
                host={host}
                canMute={canMute}
                handPosition={position >= 0 ? position + 1 : null}
                onError={setError}
              />
            );
          })}
        </ul>
      </div>
    </SidePanel>
  );
}
