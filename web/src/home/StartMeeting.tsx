import { useState } from 'react';
import { createRoom } from '../api/rooms';
import { navigate } from '../app/router';
import { E2eeOption } from '../e2ee/E2eeOption';
import { generateKey, keyFragment } from '../e2ee/key';
import { useI18n } from '../i18n/i18n';

/**
 * Creates an instant meeting and goes to it; end-to-end encrypted if chosen, with a key made here
 * that only the link's fragment carries.
 */
export function StartMeeting() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [e2ee, setE2ee] = useState(false);
  const start = async () => {
    setBusy(true);
    setError('');
    try {
      const room = await createRoom(t('home.instantName'), 'trusted', 'instant');
      navigate('/' + room.code + (e2ee ? keyFragment(generateKey()) : ''));
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
      <E2eeOption checked={e2ee} onChange={setE2ee} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
