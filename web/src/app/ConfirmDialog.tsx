import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Dialog } from './Dialog';

/**
 * Asks before something that cannot be undone (removing someone, ending a meeting, deleting a
 * room). The safe choice comes first and has the focus.
 */
export function ConfirmDialog({
  title,
  text,
  confirm,
  onConfirm,
  onCancel,
}: {
  title: string;
  text: string;
  confirm: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const go = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await onConfirm();
    } catch {
      setFailed(true);
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onCancel} testId="confirm-dialog">
      <p>{text}</p>
      {failed && (
        <p className="error" role="alert">
          {t('host.actionFailed')}
        </p>
      )}
      <div className="row end">
        <button type="button" className="button secondary" onClick={onCancel} autoFocus>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() => void go()}
          disabled={busy}
          data-testid="confirm"
        >
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}
