import { useChat, useConnectionState, useRoomContext } from '@livekit/components-react';
import { ConnectionState, RoomEvent, type Participant } from 'livekit-client';
import { useEffect, useState } from 'react';
import type { Room } from '../api/rooms';
import { E2eeStatus } from '../e2ee/E2eeStatus';
import { useI18n } from '../i18n/i18n';
import { useAnnounce } from './Announcer';
import { ChatPanel } from './ChatPanel';
import { ControlBar } from './ControlBar';
import { LobbyNotice } from './LobbyNotice';
import { Stage } from './stage/Stage';
import { AloneWatch } from './controls/AloneWatch';
import { useHand } from './controls/HandButton';
import { useTools } from './controls/Tools';
import { useShortcuts } from './controls/useShortcuts';
import { ParticipantsPanel } from './ParticipantsPanel';
import { useIsHost } from './useIsHost';
import { useLobby } from './useLobby';
import { useUnread } from './useUnread';

export type Panel = 'chat' | 'people' | null;

/** The meeting screen: the stage, a side panel, the control bar. */
export function MeetingView({ room, role }: { room: Room; role?: string }) {
  const { t } = useI18n();
  const lk = useRoomContext();
  const state = useConnectionState();
  const announce = useAnnounce();
  const [panel, setPanel] = useState<Panel>(null);
  const chat = useChat();
  const unread = useUnread(chat.chatMessages, panel === 'chat');
  const host = useIsHost(role);
  const lobby = useLobby(room.code, host);

  useEffect(() => {
    const joined = (p: Participant) => announce(t('meeting.joined', { name: nameOf(p) }));
    const left = (p: Participant) => announce(t('meeting.left', { name: nameOf(p) }));
    lk.on(RoomEvent.ParticipantConnected, joined).on(RoomEvent.ParticipantDisconnected, left);
    return () => {
      lk.off(RoomEvent.ParticipantConnected, joined).off(RoomEvent.ParticipantDisconnected, left);
    };
  }, [lk, announce, t]);

  const last = chat.chatMessages[chat.chatMessages.length - 1];
  useEffect(() => {
    if (last && last.from && last.from !== lk.localParticipant) {
      announce(t('chat.received', { name: nameOf(last.from), message: last.message }));
    }
  }, [last, lk, announce, t]);

  const toggle = (p: Exclude<Panel, null>) => setPanel((open) => (open === p ? null : p));
  const hand = useHand(room.code);
  const tools = useTools();
  useShortcuts({ onHand: () => void hand.toggle(), onChat: () => toggle('chat'), onHelp: () => tools.open('shortcuts') });

  return (
    <div className={'meeting-view' + (panel ? ' with-panel' : '')}>
      {state === ConnectionState.Reconnecting && (
        <div className="banner warning" role="status" data-testid="reconnecting">
          {t('meeting.reconnecting')}
        </div>
      )}
      {state === ConnectionState.Connecting && (
        <div className="banner" role="status">
          {t('meeting.connecting')}
        </div>
      )}
      <h1 className="visually-hidden">{room.name}</h1>
      <E2eeStatus />
      <main className="stage" aria-label={t('meeting.stage')}>
        <Stage />
      </main>
      {panel === 'chat' && (
        <ChatPanel chat={chat} onClose={() => setPanel(null)} />
      )}
      {panel === 'people' && (
        <ParticipantsPanel room={room} host={host} lobby={lobby} onClose={() => setPanel(null)} />
      )}
      {host && panel !== 'people' && <LobbyNotice lobby={lobby} onOpen={() => setPanel('people')} />}
      <AloneWatch />
      <ControlBar
        room={room}
        panel={panel}
        unread={unread}
        waiting={lobby.knocks.length}
        host={host}
        onToggle={toggle}
      />
    </div>
  );
}

export function nameOf(p: Participant): string {
  return p.name || p.identity;
}
