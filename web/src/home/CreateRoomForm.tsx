import { useState, type FormEvent } from 'react';
import { createRoom, type AccessLevel } from '../api/rooms';
import { useI18n } from '../i18n/i18n';

const LEVELS: AccessLevel[] = ['trusted', 'public', 'restricted'];

/** A permanent room: a name and who may enter without waiting. */
export function CreateRoomForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [level, setLevel] = useState<AccessLevel>('trusted');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await createRoom(name.trim(), level, 'permanent');
      setName('');
      onCreated();
    } catch {
      setError(t('home.createFailed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card create-room" onSubmit={submit}>
      <h3>{t('rooms.createTitle')}</h3>
      <div className="row wrap">
        <label className="field grow">
          <span>{t('rooms.name')}</span>
          <input
            type="text"
            required
            maxLength={500}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="room-name"
          />
        </label>
        <label className="field">
          <span>{t('rooms.access')}</span>
          <select value={level} onChange={(e) => setLevel(e.target.value as AccessLevel)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`access.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="button primary"
          disabled={busy || !name.trim()}
          data-testid="room-create"
        >
          {t('rooms.create')}
        </button>
      </div>
      <p className="note">{t(`access.${level}.help`)}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
