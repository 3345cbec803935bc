import { useEffect, useRef } from 'react';
import { Header } from '../app/Header';
import { Link } from '../app/router';
import { useI18n } from '../i18n/i18n';

/**
 * After the meeting (left, refused, gave up waiting, ended by a host, removed): back in when that
 * makes sense, or home.
 */
export function LeftScreen({
  title,
  onRejoin,
  reason,
}: {
  title: string;
  onRejoin?: () => void;
  reason?: 'ended' | 'removed';
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <Header />
      <main id="main" className="page narrow center">
        <h1 ref={heading} tabIndex={-1} data-testid="left-title" data-reason={reason ?? ''}>
          {title}
        </h1>
        <div className="row center">
          {onRejoin && (
            <button type="button" className="button secondary" onClick={onRejoin}>
              {t('left.rejoin')}
            </button>
          )}
          <Link to="/" className="button primary">
            {t('left.home')}
          </Link>
        </div>
      </main>
    </>
  );
}
