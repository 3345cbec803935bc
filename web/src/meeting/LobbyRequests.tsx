import { useI18n } from '../i18n/i18n';
import type { Lobby } from './useLobby';

/** Who waits to come in, each with admit and deny; both for all when several wait. */
export function LobbyRequests({ lobby }: { lobby: Lobby }) {
  const { t } = useI18n();
  if (lobby.knocks.length === 0) {
    return null;
  }
  return (
    <section className="lobby-requests" aria-labelledby="lobby-title" data-testid="lobby-requests">
      <h3 id="lobby-title">{t('lobby.panelTitle', { count: lobby.knocks.length })}</h3>
      <ul>
        {lobby.knocks.map((k) => (
          <li key={k.participant} className="person">
            <span className="person-name">
              {k.name}
              {!k.authenticated && <span className="tag">{t('lobby.guest')}</span>}
            </span>
            <span className="person-actions">
              <button
                type="button"
                className="button ghost dark small"
                onClick={() => void lobby.decide(k.participant, false)}
                data-testid="lobby-deny"
              >
                {t('lobby.deny')}
                <span className="visually-hidden"> {k.name}</span>
              </button>
              <button
                type="button"
                className="button primary small"
                onClick={() => void lobby.decide(k.participant, true)}
                data-testid="lobby-admit"
              >
                {t('lobby.admit')}
                <span className="visually-hidden"> {k.name}</span>
              </button>
            </span>
          </li>
        ))}
      </ul>
      {lobby.knocks.length > 1 && (
        <div className="row end">
          <button type="button" className="button ghost dark small" onClick={() => void lobby.decideAll(false)}>
            {t('lobby.denyAll')}
          </button>
          <button type="button" className="button primary small" onClick={() => void lobby.decideAll(true)}>
            {t('lobby.admitAll')}
          </button>
        </div>
      )}
    </section>
  );
}
