import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import '../styles/host.css';

/**
 * A modal dialog on the browser's own {@code <dialog>}: it traps focus, makes the page behind
 * inert, closes on Escape and gives focus back to what opened it. Open while mounted.
 */
export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  wide?: boolean;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={'dialog' + (wide ? ' wide' : '')}
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape: the parent unmounts the dialog, which closes it.
        e.preventDefault();
        onClose();
      }}
      data-testid={testId}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          className="round flat small"
          onClick={onClose}
          title={t('common.close')}
          data-testid={testId + '-close'}
        >
          <span className="icon icon-close" aria-hidden="true" />
          <span className="visually-hidden">{t('common.close')}</span>
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
