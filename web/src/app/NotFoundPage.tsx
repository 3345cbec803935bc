import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import { Header } from './Header';
import { Link } from './router';

export function NotFoundPage({ title, text }: { title?: string; text?: string }) {
  const { t } = useI18n();
  const heading = title ?? t('notFound.title');
  useEffect(() => {
    document.title = heading + ' · Visio';
  }, [heading]);
  return (
    <>
      <Header />
      <main id="main" className="page narrow">
        <h1>{heading}</h1>
        <p>{text ?? t('notFound.text')}</p>
        <p>
          <Link to="/" className="button primary">
            {t('notFound.home')}
          </Link>
        </p>
      </main>
    </>
  );
}
