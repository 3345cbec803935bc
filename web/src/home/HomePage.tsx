import { useEffect } from 'react';
import { Header } from '../app/Header';
import { useSession } from '../app/session';
import { Spinner } from '../app/Spinner';
import { useI18n } from '../i18n/i18n';
import { AccountMenu } from './AccountMenu';
import { JoinByCode } from './JoinByCode';
import { MyRooms } from './MyRooms';
import { SignInPanel } from './SignInPanel';
import { StartMeeting } from './StartMeeting';

// Not in React's typings: spread so the attribute reaches the DOM as written.
const ELEMENT_TIMING = { elementtiming: 'home-title' };

export function HomePage() {
  const { t } = useI18n();
  const { session } = useSession();
  useEffect(() => {
    document.title = 'Visio';
  }, []);
  const signedIn = session?.authenticated === true;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <Header>
        <AccountMenu />
      </Header>
      <main id="main" className="page home">
        <section className="hero" aria-labelledby="hero-title">
          {/* elementtiming: scripts/bench-web times this heading's first paint (Element Timing API). */}
          <h1 id="hero-title" {...ELEMENT_TIMING}>{t('home.title')}</h1>
          <p className="lead">{t('home.lead')}</p>
          {session === undefined ? (
            <Spinner />
          ) : (
            <div className="hero-actions">
              {signedIn ? <StartMeeting /> : <SignInPanel />}
              <JoinByCode />
            </div>
          )}
        </section>
        {signedIn && <MyRooms />}
      </main>
    </>
  );
}
