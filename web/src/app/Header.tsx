import type { ReactNode } from 'react';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { useI18n } from '../i18n/i18n';
import { Link } from './router';

/** The top bar of the pages outside a meeting: the brand, the language, the account. */
export function Header({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <Link to="/" className="brand" aria-label={t('brand.home')}>
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Visio</span>
      </Link>
      <div className="header-tools">
        <LanguageSwitch />
        {children}
      </div>
    </header>
  );
}
