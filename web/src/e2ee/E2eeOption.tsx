import { useId } from 'react';
import { useI18n } from '../i18n/i18n';
import '../styles/e2ee.css';

/** The "end-to-end encrypted" choice when starting a meeting, with what it means. */
export function E2eeOption({ checked, onChange }: { checked: boolean; onChange: (on: boolean) => void }) {
  const { t } = useI18n();
  const helpId = useId();
  return (
    <div className="e2ee-option">
      <label className="check">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={helpId}
          data-testid="e2ee-option"
        />
        <span>{t('e2ee.option')}</span>
      </label>
      <p id={helpId} className="note">
        {t('e2ee.optionHelp')}
      </p>
    </div>
  );
}
