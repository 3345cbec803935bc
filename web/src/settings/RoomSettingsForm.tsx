import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { updateRoom, type RoomChanges } from '../api/roomAdmin';
import { findRoom, type AccessLevel, type Room, type Source } from '../api/rooms';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/fr';

const LEVELS: AccessLevel[] = ['public', 'trusted', 'restricted'];
const SOURCES: { source: Source; label: MessageKey }[] = [
  { source: 'camera', label: 'settings.camera' },
  { source: 'microphone', label: 'settings.microphone' },
  { source: 'screen_share', label: 'settings.screenShare' },
  { source: 'screen_share_audio', label: 'settings.screenShareAudio' },
];
const MIN_PARTICIPANTS = 2;
const MAX_PARTICIPANTS = 1000;

type Status = 'idle' | 'saving' | 'saved' | 'failed';

/**
 * A room's settings as its hosts change them: who comes in, what participants may publish,
 * whether everyone may mute, the cap, the lock. Each change is saved at once and a meeting in
 * progress follows it (the server narrows what participants publish as soon as it is saved).
 */
export function RoomSettingsForm({ code, showLock = true }: { code: string; showLock?: boolean }) {
  const { t } = useI18n();
  const [room, setRoom] = useState<Room | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [status, setStatus] = useState<Status>('idle');
  const [saves, setSaves] = useState(0);
  const [max, setMax] = useState('');
  const ids = useId();
  // Only the answer to the latest change is shown: an earlier one arriving late would undo it.
  const latest = useRef(0);

  useEffect(() => {
    let live = true;
    findRoom(code).then(
      (r) => {
        if (live) {
          setRoom(r);
          setMax(String(r.max_participants ?? ''));
        }
      },
      () => live && setLoadFailed(true),
    );
    return () => {
      live = false;
    };
  }, [code]);

  if (loadFailed) {
    return (
      <p className="error" role="alert">
        {t('settings.loadFailed')}
      </p>
    );
  }
  if (!room) {
    return <p className="note">{t('common.loading')}</p>;
  }

  const save = async (changes: RoomChanges) => {
    const before = room;
    setRoom({ ...room, ...changes }); // shown at once; put back if the server refuses
    setStatus('saving');
    const request = ++latest.current;
    try {
      const saved = await updateRoom(code, changes);
      if (request !== latest.current) {
        return;
      }
      setRoom((r) => ({ ...saved, role: r?.role }));
      setMax(String(saved.max_participants ?? ''));
      setStatus('saved');
      setSaves((n) => n + 1);
    } catch {
      if (request !== latest.current) {
        return;
      }
      setRoom(before);
      setMax(String(before.max_participants ?? ''));
      setStatus('failed');
    }
  };

  const sources = new Set(room.can_publish_sources ?? []);
  const toggleSource = (source: Source, on: boolean) => {
    const next = SOURCES.map((s) => s.source).filter((s) => (s === source ? on : sources.has(s)));
    void save({ can_publish_sources: next });
  };

  const applyMax = (e?: FormEvent) => {
    e?.preventDefault();
    const n = Number(max);
    if (!Number.isInteger(n) || n < MIN_PARTICIPANTS || n > MAX_PARTICIPANTS) {
      setStatus('failed');
      return;
    }
    if (n !== room.max_participants) {
      void save({ max_participants: n });
    }
  };

  return (
    <form className="settings-form stack" onSubmit={applyMax} data-testid="room-settings">
      <fieldset className="settings-group">
        <legend>{t('settings.access')}</legend>
        {LEVELS.map((level) => (
          <label key={level} className="choice">
            <input
              type="radio"
              name={ids + 'level'}
              value={level}
              checked={room.access_level === level}
              onChange={() => void save({ access_level: level })}
              aria-describedby={ids + level}
              data-testid={'access-' + level}
            />
            <span>
              <strong>{t(`access.${level}`)}</strong>
              <span id={ids + level} className="note block">
                {t(`access.${level}.help`)}
              </span>
            </span>
          </label>
        ))}
      </fieldset>

      {showLock && (
        <label className="choice">
          <input
            type="checkbox"
            checked={room.locked === true}
            onChange={(e) => void save({ locked: e.target.checked })}
            aria-describedby={ids + 'lock'}
            data-testid="setting-locked"
          />
          <span>
            <strong>{t('settings.lock')}</strong>
            <span id={ids + 'lock'} className="note block">
              {t('settings.lockHelp')}
            </span>
          </span>
        </label>
      )}

      <fieldset className="settings-group">
        <legend>{t('settings.sources')}</legend>
        <p className="note">{t('settings.sourcesHelp')}</p>
        {SOURCES.map(({ source, label }) => (
          <label key={source} className="choice">
            <input
              type="checkbox"
              checked={sources.has(source)}
              onChange={(e) => toggleSource(source, e.target.checked)}
              data-testid={'source-' + source}
            />
            <span>{t(label)}</span>
          </label>
        ))}
      </fieldset>

      <label className="choice">
        <input
          type="checkbox"
          checked={room.everyone_can_mute === true}
          onChange={(e) => void save({ everyone_can_mute: e.target.checked })}
          data-testid="setting-everyone-can-mute"
        />
        <span>{t('settings.everyoneCanMute')}</span>
      </label>

      <div className="row wrap">
        <label className="field">
          <span>{t('settings.maxParticipants')}</span>
          <input
            type="number"
            inputMode="numeric"
            min={MIN_PARTICIPANTS}
            max={MAX_PARTICIPANTS}
            value={max}
            onChange={(e) => setMax(e.target.value)}
            onBlur={() => applyMax()}
            data-testid="setting-max"
          />
        </label>
        <button type="submit" className="button secondary">
          {t('settings.apply')}
        </button>
      </div>

      <p className="settings-status" role="status" data-testid="settings-status" data-saves={saves}>
        {status === 'saving' && t('settings.saving')}
        {status === 'saved' && t('settings.saved')}
      </p>
      {status === 'failed' && (
        <p className="error" role="alert">
          {t('settings.failed')}
        </p>
      )}
    </form>
  );
}
