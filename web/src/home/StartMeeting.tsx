import { useState } from 'react';
import { createRoom } from '../api/rooms';
import { navigate } from '../app/router';
import { useI18n } from '../i18n/i18n';

/** Creates an instant meeting and goes to it. */
export function StartMeeting() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const start = async () => {
    setBusy(true);
    setError('');
    try {
      const room = await createRoom(t('home.instantName'), 'trusted', 'instant');
      navigate('/' + room.code);
    } catch {
      setError(t('home.createFailed'));
      setBusy(false);
    }
  };
  return (
    <div className="card start">
      <button
        type="button"
        className="button primary large"
        onClick={start}
        disabled={busy}
        data-testid="start-meeting"
      >
        <span className="icon icon-video" aria-hidden="true" />
        {t('home.start')}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
