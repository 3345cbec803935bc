import { useLocalParticipantPermissions, useRoomContext, useTrackToggle } from '@livekit/components-react';
import { Track } from 'livekit-client';
import type { Room } from '../api/rooms';
import { EffectsButton } from '../effects/EffectsButton';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';
import { EndMeetingButton, RoomSettingsButton } from './HostControls';
import { InviteButton } from './InviteDialog';
import type { Panel } from './MeetingView';
import { HandButton } from './controls/HandButton';
import { ReactionsButton } from './controls/ReactionsButton';
import { MoreButton } from './controls/Tools';

type Toggleable = Track.Source.Microphone | Track.Source.Camera | Track.Source.ScreenShare;

const TOGGLES: { source: Toggleable; label: MessageKey; on: string; off: string; id: string }[] = [
  { source: Track.Source.Microphone, label: 'controls.microphone', on: 'icon-mic', off: 'icon-mic-off', id: 'toggle-mic' },
  { source: Track.Source.Camera, label: 'controls.camera', on: 'icon-cam', off: 'icon-cam-off', id: 'toggle-camera' },
  { source: Track.Source.ScreenShare, label: 'controls.screen', on: 'icon-screen', off: 'icon-screen', id: 'toggle-screen' },
];

/** livekit-client's sources as the SFU's permissions name them (protobuf TrackSource). */
const PROTO_SOURCE: Record<Toggleable, number> = {
  [Track.Source.Camera]: 1,
  [Track.Source.Microphone]: 2,
  [Track.Source.ScreenShare]: 3,
};
// A screen share carries the tab's or the system's sound too when the browser offers it.
const SCREEN_CAPTURE = { audio: true, systemAudio: 'include' } as const;

function SourceToggle({ source, label, on, off, id }: (typeof TOGGLES)[number]) {
  const { t } = useI18n();
  const { enabled, pending, toggle } = useTrackToggle({
    source,
    captureOptions: source === Track.Source.ScreenShare ? SCREEN_CAPTURE : undefined,
  });
  const screen = source === Track.Source.ScreenShare;
  // A host may narrow what participants publish during the meeting: say so on the button.
  const permissions = useLocalParticipantPermissions();
  const allowed =
    !permissions ||
    (permissions.canPublish &&
      (permissions.canPublishSources.length === 0 ||
        permissions.canPublishSources.includes(PROTO_SOURCE[source])));
  return (
    <button
      type="button"
      className={'round ' + (enabled ? (screen ? 'active' : 'on') : screen ? 'on' : 'off')}
      aria-pressed={enabled}
      disabled={pending || (!allowed && !enabled)}
      onClick={() => void toggle()}
      title={allowed ? t(label) : t('host.notAllowed', { source: t(label) })}
      data-testid={id}
    >
      <span className={'icon ' + (enabled ? on : off)} aria-hidden="true" />
      <span className="visually-hidden">{t(label)}</span>
    </button>
  );
}

/** The meeting's controls: devices, panels, the invitation, leaving. */
export function ControlBar({
  room,
  panel,
  unread,
  waiting,
  host,
  onToggle,
}: {
  room: Room;
  host: boolean;
  panel: Panel;
  unread: number;
  waiting: number;
  onToggle: (panel: Exclude<Panel, null>) => void;
}) {
  const { t } = useI18n();
  const lk = useRoomContext();
  return (
    <nav className="control-bar" aria-label={t('controls.label')}>
      <div className="bar-side">
        <span className="meeting-code">{room.code}</span>
        <InviteButton room={room} host={host} />
      </div>
      <div className="bar-center">
        {TOGGLES.map((toggle) => (
          <SourceToggle key={toggle.id} {...toggle} />
        ))}
        <EffectsButton />
        <HandButton code={room.code} />
        <ReactionsButton />
        <MoreButton />
        <button
          type="button"
          className="round leave"
          onClick={() => void lk.disconnect()}
          title={t('controls.leave')}
          data-testid="leave"
        >
          <span className="icon icon-leave" aria-hidden="true" />
          <span className="visually-hidden">{t('controls.leave')}</span>
        </button>
        {host && <EndMeetingButton room={room} />}
      </div>
      <div className="bar-side end">
        {host && <RoomSettingsButton room={room} />}
        <PanelToggle panel="people" open={panel} onToggle={onToggle} icon="icon-people" label="controls.people"
          count={waiting} countLabel="controls.waiting" testId="toggle-people" />
        <PanelToggle panel="chat" open={panel} onToggle={onToggle} icon="icon-chat" label="controls.chat"
          count={unread} countLabel="controls.unread" testId="toggle-chat" badgeTestId="chat-unread" />
      </div>
    </nav>
  );
}

/** A side panel's button: pressed while its panel is open, with a count of what waits in it. */
function PanelToggle({
  panel,
  open,
  onToggle,
  icon,
  label,
  count,
  countLabel,
  testId,
  badgeTestId,
}: {
  panel: Exclude<Panel, null>;
  open: Panel;
  onToggle: (panel: Exclude<Panel, null>) => void;
  icon: string;
  label: MessageKey;
  count: number;
  countLabel: MessageKey;
  testId: string;
  badgeTestId?: string;
}) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className={'round flat' + (open === panel ? ' active' : '')}
      aria-pressed={open === panel}
      onClick={() => onToggle(panel)}
      title={t(label)}
      data-testid={testId}
    >
      <span className={'icon ' + icon} aria-hidden="true" />
      <span className="visually-hidden">
        {t(label)}
        {count > 0 && ' ' + t(countLabel, { count })}
      </span>
      {count > 0 && (
        <span className="badge" aria-hidden="true" data-testid={badgeTestId}>
          {count}
        </span>
      )}
    </button>
  );
}
