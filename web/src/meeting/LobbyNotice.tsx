import { useI18n } from '../i18n/i18n';
import { LobbyRequests } from './LobbyRequests';
import type { Lobby } from './useLobby';

/** A card over the stage while people wait, so a host sees knocks without opening a panel. */
export function LobbyNotice({ lobby, onOpen }: { lobby: Lobby; onOpen: () => void }) {
  const { t } = useI18n();
  if (lobby.knocks.length === 0) {
    return null;
  }
  return (
    <div className="lobby-notice" data-testid="lobby-notice">
      <LobbyRequests lobby={lobby} />
      <button type="button" className="link-button" onClick={onOpen}>
        {t('lobby.openPanel')}
      </button>
    </div>
  );
}
