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
          <h1 id="hero-title">{t('home.title')}</h1>
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
