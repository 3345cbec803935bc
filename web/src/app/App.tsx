import { lazy, Suspense } from 'react';
import { HomePage } from '../home/HomePage';
import { I18nProvider } from '../i18n/i18n';
import { NotFoundPage } from './NotFoundPage';
import { parseRoomCode } from './roomCode';
import { usePath } from './router';
import { SessionProvider } from './session';
import { Spinner } from './Spinner';

// The meeting code (LiveKit, media) loads only when a meeting page opens.
const RoomPage = lazy(() => import('../room/RoomPage'));

/** "/" is home, "/abc-defg-hij" a meeting, anything else not found. */
function Routes() {
  const path = usePath();
  if (path === '/') {
    return <HomePage />;
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
      </SessionProvider>
    </I18nProvider>
  );
}
