import { lazy, Suspense } from 'react';
import { HomePage } from '../home/HomePage';
import { I18nProvider } from '../i18n/i18n';
import { Footer } from './Footer';
import { NotFoundPage } from './NotFoundPage';
import { parseRoomCode } from './roomCode';
import { usePath } from './router';
import { SessionProvider } from './session';
import { Spinner } from './Spinner';

// The meeting code (LiveKit, media) loads only when a meeting page opens.
const RoomPage = lazy(() => import('../room/RoomPage'));
// Pages outside the main path load on demand too (the connection test needs livekit-client).
const ConnectionTestPage = lazy(() => import('../connection/ConnectionTestPage'));
const AccessibilityPage = lazy(() => import('../accessibility/AccessibilityPage'));

/** "/" is home, "/abc-defg-hij" a meeting, two pages of their own, anything else not found. */
function Routes() {
  const path = usePath();
  if (path === '/') {
    return <HomePage />;
  }
  // The server answers these paths with the app too (AppPage.PAGES).
  if (path === '/connection-test' || path === '/accessibility') {
    return (
      <Suspense fallback={<Spinner />}>
        {path === '/connection-test' ? <ConnectionTestPage /> : <AccessibilityPage />}
      </Suspense>
    );
  }
  const segment = path.slice(1);
  const code = segment.includes('/') ? null : parseRoomCode(segment);
  if (code) {
    return (
      <Suspense fallback={<Spinner />}>
        <RoomPage key={code} code={code} />
      </Suspense>
    );
  }
  return <NotFoundPage />;
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Routes />
        <Footer />
      </SessionProvider>
    </I18nProvider>
  );
}
