import { useI18n } from '../i18n/i18n';

/** A picker for one kind of device; hidden while there is nothing to choose from. */
export function DeviceSelect({
  kind,
  devices,
  value,
  onChange,
  label,
}: {
  kind: MediaDeviceKind;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  onChange: (deviceId: string) => void;
  label: string;
}) {
  const { t } = useI18n();
  const options = devices.filter((d) => d.kind === kind && d.deviceId);
  if (options.length === 0) {
    return null;
  }
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value ?? options[0].deviceId} onChange={(e) => onChange(e.target.value)}>
        {options.map((d, i) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label || t('prejoin.deviceN', { n: i + 1 })}
          </option>
        ))}
      </select>
    </label>
  );
}
