import { useMediaDeviceSelect, useRoomContext } from '@livekit/components-react';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/fr';
import { Modal } from './Modal';

/** Whether this browser can choose where sound plays (setSinkId; not Firefox before 116, not Safari). */
function canPickOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

function DevicePicker({ kind, label, testId }: { kind: MediaDeviceKind; label: MessageKey; testId: string }) {
  const { t } = useI18n();
  const room = useRoomContext();
  const { devices, activeDeviceId, setActiveMediaDevice } = useMediaDeviceSelect({ kind, room });
  return (
    <label className="field">
      {t(label)}
      <select
        value={activeDeviceId}
        onChange={(e) => void setActiveMediaDevice(e.target.value)}
        disabled={devices.length === 0}
        data-testid={testId}
      >
        {devices.length === 0 && <option value="">{t('devices.none')}</option>}
        {devices.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || t('prejoin.deviceN', { n: i + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Switches microphone, camera and (where the browser allows) speakers during the call. */
export function DevicesDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal title={t('devices.title')} onClose={onClose} testId="devices-dialog">
      <div className="stack">
        <DevicePicker kind="audioinput" label="prejoin.microphone" testId="device-mic" />
        <DevicePicker kind="videoinput" label="prejoin.camera" testId="device-camera" />
        {canPickOutput() ? (
          <DevicePicker kind="audiooutput" label="devices.speaker" testId="device-speaker" />
        ) : (
          <p className="note">{t('devices.noSpeakerChoice')}</p>
        )}
      </div>
    </Modal>
  );
}
