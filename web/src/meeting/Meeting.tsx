import { LiveKitRoom, RoomAudioRenderer } from '@livekit/components-react';
import type { DisconnectReason } from 'livekit-client';
import { useMemo, useState } from 'react';
import { isHostRole, type Room as MeetingRoom } from '../api/rooms';
import { Spinner } from '../app/Spinner';
import { E2eeContext } from '../e2ee/E2eeContext';
import { readFragmentKey } from '../e2ee/key';
import { useE2eeRoom } from '../e2ee/useE2eeRoom';
import { EffectsProvider } from '../effects/MeetingEffects';
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
  onLeave: (reason?: DisconnectReason) => void;
}) {
  const options = useMemo(() => ({ adaptiveStream: true, dynacast: true }), []);
  // An end-to-end encrypted meeting's key is in the link's fragment (see e2ee/key.ts).
  const [fragment] = useState(() => readFragmentKey(window.location.hash));
  const e2ee = useE2eeRoom(fragment, options);
  // Stable objects: LiveKitRoom re-subscribes its listeners whenever these change identity.
  const audio = useMemo(
    () => (choices.audio ? { deviceId: choices.audioDeviceId } : false),
    [choices.audio, choices.audioDeviceId],
  );
  const video = useMemo(
    () => (choices.video ? { deviceId: choices.videoDeviceId } : false),
    [choices.video, choices.videoDeviceId],
  );
  if (e2ee.encrypted && !e2ee.room) {
    // Not before the key is in place: LiveKitRoom would connect a room of its own, in clear.
    return <Spinner />;
  }
  return (
    <LiveKitRoom
      className="meeting"
      serverUrl={signallingUrl()}
      token={token}
      connect
      room={e2ee.room}
      options={e2ee.room ? undefined : options}
      audio={audio}
      video={video}
      onDisconnected={onLeave}
      data-testid="meeting"
    >
      <E2eeContext.Provider value={fragment}>
        <AnnouncerProvider>
          <EffectsProvider initial={choices.effects}>
            <StageStateProvider host={isHostRole(role)}>
              <ToolsProvider>
                <MeetingView room={room} role={role} />
              </ToolsProvider>
            </StageStateProvider>
          </EffectsProvider>
        </AnnouncerProvider>
      </E2eeContext.Provider>
      <RoomAudioRenderer />
    </LiveKitRoom>
  );
}
