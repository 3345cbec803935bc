import type { Participant } from 'livekit-client';

/** The participant attribute holding when its hand went up (ISO-8601); absent when down. */
export const HAND_RAISED_AT = 'handRaisedAt';

/** Those with a raised hand, first raised first (the server's queue order). */
export function handQueue<P extends Participant>(participants: readonly P[]): P[] {
  return participants
    .filter((p) => raisedAt(p) !== null)
    .sort((a, b) => raisedAt(a)! - raisedAt(b)! || a.identity.localeCompare(b.identity));
}

function raisedAt(p: Participant): number | null {
  const at = p.attributes?.[HAND_RAISED_AT];
  if (!at) {
    return null;
  }
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : ms;
}
