import { useCallback, useEffect, useRef, useState } from 'react';
import { decide, decideAll, waitingList, type Knock } from '../api/lobby';
import { useI18n } from '../i18n/i18n';
import { useAnnounce } from './Announcer';
import { chime } from './chime';
import { notifyKnock } from './knockNotification';

// Hosts see who waits at the door. Asked every two seconds for now; the server's lobby events
// (SSE) can replace the loop behind this hook.
const POLL_MS = 2000;

export interface Lobby {
  knocks: Knock[];
  decide: (participant: string, admit: boolean) => Promise<void>;
  decideAll: (admit: boolean) => Promise<void>;
}

export function useLobby(code: string, host: boolean): Lobby {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [knocks, setKnocks] = useState<Knock[]>([]);
  const known = useRef(new Set<string>());

  const refresh = useCallback(async () => {
    try {
      const list = await waitingList(code);
      const fresh = list.filter((k) => !known.current.has(k.participant));
      known.current = new Set(list.map((k) => k.participant));
      if (fresh.length > 0) {
        const text = t('lobby.knocked', { name: fresh.map((k) => k.name).join(', ') });
        chime();
        announce(text);
        notifyKnock(t('knockNotify.title'), text);
      }
      setKnocks(list);
    } catch {
      // A failed poll keeps the last list; the next one tries again.
    }
  }, [code, announce, t]);

  useEffect(() => {
    if (!host) {
      return;
    }
    void refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [host, refresh]);

  const one = useCallback(
    async (participant: string, admit: boolean) => {
      setKnocks((list) => list.filter((k) => k.participant !== participant));
      try {
        await decide(code, participant, admit);
      } finally {
        void refresh();
      }
    },
    [code, refresh],
  );
  const all = useCallback(
    async (admit: boolean) => {
      setKnocks([]);
      try {
        await decideAll(code, admit);
      } finally {
        void refresh();
      }
    },
    [code, refresh],
  );
  return { knocks, decide: one, decideAll: all };
}
