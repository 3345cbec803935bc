import { useRemoteParticipants, useRoomContext } from '@livekit/components-react';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { Modal } from './Modal';

/** Alone this long, one is asked whether to stay. */
const ALONE_MS = 5 * 60_000;
/** Unanswered this long, one leaves (a forgotten tab holds no camera open). */
const ANSWER_S = 60;

/** After five minutes alone, asks "still there?" and leaves unless told to stay within a minute. */
export function AloneWatch() {
  const { t } = useI18n();
  const lk = useRoomContext();
  const alone = useRemoteParticipants().length === 0;
  const [asking, setAsking] = useState(false);
  const [left, setLeft] = useState(ANSWER_S);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!alone) {
      setAsking(false);
      return;
    }
    const timer = window.setTimeout(() => {
      setLeft(ANSWER_S);
      setAsking(true);
    }, ALONE_MS);
    return () => window.clearTimeout(timer);
  }, [alone, round]);

  useEffect(() => {
    if (!asking) return;
    if (left <= 0) {
      void lk.disconnect();
      return;
    }
    const tick = window.setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => window.clearTimeout(tick);
  }, [asking, left, lk]);

  if (!asking) return null;
  const stay = () => {
    setAsking(false);
    setRound((r) => r + 1);
  };
  return (
    <Modal title={t('alone.title')} onClose={stay} testId="alone-dialog" role="alertdialog">
      <p>
        {t('alone.text', { seconds: left })}
      </p>
      <div className="row end">
        <button type="button" className="button secondary" onClick={() => void lk.disconnect()} data-testid="alone-leave">
          {t('controls.leave')}
        </button>
        <button type="button" className="button primary" onClick={stay} data-testid="alone-stay">
          {t('alone.stay')}
        </button>
      </div>
    </Modal>
  );
}
