import { useDataChannel, useParticipants, useRoomContext } from '@livekit/components-react';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useAnnounce } from '../Announcer';
import { nameOf } from '../MeetingView';
import { handQueue, parseReaction, reactionAllowed, type Layout, type TileKey } from './rules';

/** The participant attribute the server sets while a hand is up: when it went up (ISO-8601). */
export const HAND_ATTRIBUTE = 'handRaisedAt';

/** The data channel topic reactions travel on. */
export const REACTION_TOPIC = 'reactions';


export interface Reaction {
  id: number;
  identity: string;
  emoji: string;
}

interface StageState {
  /** Whether this participant moderates (hosts see the hand queue's order). */
  host: boolean;
  layout: Layout;
  setLayout: (layout: Layout) => void;
  pinned: TileKey | null;
  setPinned: (key: TileKey | null) => void;
  /** Raised hands: identity → place in the queue (from 1). */
  hands: Map<string, number>;
  reactions: readonly Reaction[];
  /** Sends a reaction; false when the rate limit holds it back. */
  react: (emoji: string) => boolean;
}

const Context = createContext<StageState | null>(null);

const SHOWN_MS = 4000;
/** At most this many of one sender's reactions on screen: a client that ignores its limit floods nobody. */
const SHOWN_PER_SENDER = 6;

/** The meeting's shared view state: layout, pin, hand queue, reactions in flight. */
export function StageStateProvider({ host, children }: { host: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const lk = useRoomContext();
  const [layout, setLayout] = useState<Layout>('auto');
  const [pinned, setPinned] = useState<TileKey | null>(null);
  const [reactions, setReactions] = useState<Reaction[]>([]);
  const nextId = useRef(0);
  const sent = useRef<number[]>([]);

  const participants = useParticipants();
  const handKey = participants.map((p) => p.identity + '=' + (p.attributes?.[HAND_ATTRIBUTE] ?? '')).join('|');
  const hands = useMemo(
    () => handQueue(participants.map((p) => ({ identity: p.identity, raisedAt: p.attributes?.[HAND_ATTRIBUTE] }))),
    // participants keeps its identity across attribute changes: the key says when hands moved
    [handKey],
  );

  // Announce hands going up (not one's own: the button says it).
  const previousHands = useRef<Map<string, number>>(new Map());
  useEffect(() => {
    for (const identity of hands.keys()) {
      const p = participants.find((x) => x.identity === identity);
      if (!previousHands.current.has(identity) && p && !p.isLocal) {
        announce(t('hand.raisedBy', { name: nameOf(p) }));
      }
    }
    previousHands.current = hands;
  }, [hands]);

  const show = useCallback((identity: string, emoji: string) => {
    const id = nextId.current++;
    setReactions((list) =>
      list.filter((r) => r.identity === identity).length >= SHOWN_PER_SENDER
        ? list
        : list.concat({ id, identity, emoji }),
    );
    window.setTimeout(() => setReactions((list) => list.filter((r) => r.id !== id)), SHOWN_MS);
  }, []);

  const { send } = useDataChannel(REACTION_TOPIC, (message) => {
    const emoji = parseReaction(message.payload);
    const from = message.from;
    if (emoji && from) {
      show(from.identity, emoji);
      announce(t('reactions.from', { name: nameOf(from), emoji }));
    }
  });

  const react = useCallback(
    (emoji: string) => {
      const now = Date.now();
      if (!reactionAllowed(sent.current, now)) {
        announce(t('reactions.slowDown'));
        return false;
      }
      sent.current = sent.current.filter((s) => now - s < 60_000).concat(now);
      void send(new TextEncoder().encode(JSON.stringify({ emoji })), { reliable: true, topic: REACTION_TOPIC });
      show(lk.localParticipant.identity, emoji);
      return true;
    },
    [send, show, lk, announce, t],
  );

  const value = useMemo(
    () => ({ host, layout, setLayout, pinned, setPinned, hands, reactions, react }),
    [host, layout, pinned, hands, reactions, react],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useStageState(): StageState {
  const state = useContext(Context);
  if (!state) {
    throw new Error('useStageState outside StageStateProvider');
  }
  return state;
}
