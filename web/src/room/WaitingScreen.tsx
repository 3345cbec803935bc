import { useEffect, useRef } from 'react';
import type { Room } from '../api/rooms';
import { Header } from '../app/Header';
import { useI18n } from '../i18n/i18n';

/** A guest at the door: the host has been asked; this screen changes when they decide. */
export function WaitingScreen({ room, onCancel }: { room: Room; onCancel: () => void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <Header />
      <main id="main" className="page narrow center waiting" data-testid="lobby-waiting">
        <span className="pulse" aria-hidden="true" />
        <h1 ref={heading} tabIndex={-1}>
          {t('lobby.waitingTitle')}
        </h1>
        <p role="status">{t('lobby.waitingText', { room: room.name })}</p>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </main>
    </>
  );
}
