import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';

/**
 * A modal dialog on the native {@code <dialog>}: the browser traps focus, Escape closes it, and
 * focus returns to where it was.
 */
export function Modal({
  title,
  onClose,
  children,
  testId,
  role,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  role?: 'alertdialog';
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) {
      d.showModal();
    }
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby={testId + '-title'}
      role={role}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="panel-head">
        <h2 id={testId + '-title'}>{title}</h2>
        <button type="button" className="round flat small" onClick={onClose} title={t('common.close')} data-testid={testId + '-close'}>
          <span className="icon icon-close" aria-hidden="true" />
          <span className="visually-hidden">{t('common.close')}</span>
        </button>
      </div>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}
