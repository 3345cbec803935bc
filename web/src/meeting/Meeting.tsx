import { LiveKitRoom, RoomAudioRenderer } from '@livekit/components-react';
import { useMemo } from 'react';
import { isHostRole, type Room as MeetingRoom } from '../api/rooms';
import type { JoinChoices } from '../room/PreJoin';
import { AnnouncerProvider } from './Announcer';
import { MeetingView } from './MeetingView';
import { ToolsProvider } from './controls/Tools';
import { StageStateProvider } from './stage/StageState';

/** The signalling endpoint is this origin's /rtc (livekit-client adds the path). */
function signallingUrl(): string {
  return (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host;
}

/** Connected to the meeting's LiveKit room with the token the join gave. */
export function Meeting({
  room,
  token,
  role,
  choices,
  onLeave,
}: {
  room: MeetingRoom;
  token: string;
  role?: string;
  choices: JoinChoices;
  onLeave: () => void;
}) {
  const options = useMemo(() => ({ adaptiveStream: true, dynacast: true }), []);
  // Stable objects: LiveKitRoom re-subscribes its listeners whenever these change identity.
  const audio = useMemo(
    () => (choices.audio ? { deviceId: choices.audioDeviceId } : false),
    [choices.audio, choices.audioDeviceId],
  );
  const video = useMemo(
    () => (choices.video ? { deviceId: choices.videoDeviceId } : false),
    [choices.video, choices.videoDeviceId],
  );
  return (
    <LiveKitRoom
      className="meeting"
      serverUrl={signallingUrl()}
      token={token}
      connect
      options={options}
      audio={audio}
      video={video}
      onDisconnected={onLeave}
      data-testid="meeting"
    >
      <AnnouncerProvider>
        <StageStateProvider host={isHostRole(role)}>
          <ToolsProvider>
            <MeetingView room={room} role={role} />
          </ToolsProvider>
        </StageStateProvider>
      </AnnouncerProvider>
      <RoomAudioRenderer />
    </LiveKitRoom>
  );
}
