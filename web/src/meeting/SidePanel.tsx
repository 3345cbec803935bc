import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/** A panel beside the stage (over it on a phone), closed with its button or Escape. */
export function SidePanel({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    // Focus moves into the panel; closing it gives focus back to what opened it (the control
    // bar's button), else a keyboard user would start again from the top of the page.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    const box = panel.current;
    return () => {
      const now = document.activeElement;
      if (opener?.isConnected && (!now || now === document.body || box?.contains(now))) {
        opener.focus();
      }
    };
  }, []);
  return (
    <aside
      ref={panel}
      className="side-panel"
      aria-labelledby={testId + '-title'}
      data-testid={testId}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="panel-head">
        <h2 id={testId + '-title'} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="round flat small" onClick={onClose} title={t('common.close')}>
          <span className="icon icon-close" aria-hidden="true" />
          <span className="visually-hidden">{t('common.close')}</span>
        </button>
      </div>
      {children}
    </aside>
  );
}
