// The meeting screen's rules as pure functions, so they read in one place and are tested alone
// (server/src/test/java/eu/visio/server/browser/StageRulesBrowserTest.java, on /e2e/stage.html):
// where each tile goes, which tile is big, the hand queue, what a reaction may be.

/** A tile's key: whose it is and what it shows ("ann/camera", "ann/screen_share"). */
export type TileKey = string;

export type Layout = 'auto' | 'grid' | 'speaker' | 'focus';

export const LAYOUTS: readonly Layout[] = ['auto', 'grid', 'speaker', 'focus'];

const GAP = 10;

/**
 * How many tiles fit on one grid page of {@code width} × {@code height} pixels: each tile at least
 * 200 × 150 (140 × 105 on a phone) so a face stays readable, and never more than 9 on a laptop or
 * 16 on a large screen, as Meet does.
 */
export function pageCapacity(width: number, height: number): number {
  const narrow = width < 600;
  const minWidth = narrow ? 140 : 200;
  const minHeight = narrow ? 105 : 150;
  const cols = Math.max(1, Math.floor((width + GAP) / (minWidth + GAP)));
  const rows = Math.max(1, Math.floor((height + GAP) / (minHeight + GAP)));
  return Math.min(cols * rows, width >= 1200 ? 16 : 9);
}

/** How many tiles a filmstrip of {@code length} pixels holds, tiles {@code tile} pixels long. */
export function stripCapacity(length: number, tile: number): number {
  return Math.max(1, Math.floor((length + GAP) / (tile + GAP)));
}

/**
 * The tiles in display order, changed as little as possible from {@code previous} so nobody jumps
 * around: tiles still present keep their places, newcomers go last; {@code front} (pinned, screen
 * shares, oneself) lead in its order; then anyone who spoke but sits beyond the first
 * {@code pageSize} tiles swaps places with whoever on the first page spoke least recently — the
 * people talking are always on page 1.
 */
export function arrange(
  previous: readonly TileKey[],
  present: readonly TileKey[],
  front: readonly TileKey[],
  lastSpoke: ReadonlyMap<TileKey, number>,
  pageSize: number,
): TileKey[] {
  const here = new Set(present);
  const known = new Set(previous);
  const base = previous.filter((k) => here.has(k)).concat(present.filter((k) => !known.has(k)));
  const lead = front.filter((k, i) => here.has(k) && front.indexOf(k) === i);
  const leading = new Set(lead);
  const order = lead.concat(base.filter((k) => !leading.has(k)));
  const spoke = (k: TileKey) => lastSpoke.get(k) ?? -Infinity;
  const late = order
    .slice(pageSize)
    .filter((k) => lastSpoke.has(k))
    .sort((a, b) => spoke(b) - spoke(a));
  for (const speaker of late) {
    let victim = -1;
    for (let i = lead.length; i < Math.min(pageSize, order.length); i++) {
      if (victim < 0 || spoke(order[i]) < spoke(order[victim])) {
        victim = i;
      }
    }
    if (victim < 0 || spoke(order[victim]) >= spoke(speaker)) {
      break; // page 1 holds only people who spoke more recently
    }
    const at = order.indexOf(speaker);
    [order[victim], order[at]] = [order[at], order[victim]];
  }
  return order;
}

/** Page {@code page} (from 0) of {@code order}, and how many pages there are. */
export function paginate<T>(order: readonly T[], pageSize: number, page: number) {
  const size = Math.max(1, pageSize);
  const pages = Math.max(1, Math.ceil(order.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  return {
    pages,
    page: current,
    items: order.slice(current * size, (current + 1) * size),
  };
}

/**
 * The tile shown big, or null for the grid: a pin always wins; else, outside the grid layout,
 * the newest screen share; else, in the speaker and focus layouts, the last person who spoke.
 */
export function spotlight(
  layout: Layout,
  pinned: TileKey | null,
  newestShare: TileKey | null,
  activeSpeaker: TileKey | null,
): TileKey | null {
  if (pinned) {
    return pinned;
  }
  if (layout === 'grid') {
    return null;
  }
  if (newestShare) {
    return newestShare;
  }
  return layout === 'auto' ? null : activeSpeaker;
}

/** Reactions one may send: a burst is at most {@code MAX} in {@code WINDOW_MS}. */
export const REACTION_WINDOW_MS = 3000;
export const REACTION_MAX = 4;

/** Whether a reaction sent at {@code now} stays within the limit, given earlier send times. */
export function reactionAllowed(sent: readonly number[], now: number): boolean {
  return sent.filter((t) => now - t < REACTION_WINDOW_MS).length < REACTION_MAX;
}

/** Raised hands first raised first: identity → place in the queue (from 1). */
export function handQueue(
  hands: readonly { identity: string; raisedAt: string | undefined }[],
): Map<string, number> {
  const raised = hands
    .filter((h) => h.raisedAt && !Number.isNaN(Date.parse(h.raisedAt)))
    .sort(
      (a, b) =>
        Date.parse(a.raisedAt!) - Date.parse(b.raisedAt!) || a.identity.localeCompare(b.identity),
    );
  return new Map(raised.map((h, i) => [h.identity, i + 1]));
}

/** The emoji one may send; anything else received is ignored (the payload is untrusted). */
export const REACTIONS = ['👍', '❤️', '😂', '😮', '👏', '🎉'] as const;

/** The emoji in a received payload, or null when it is not one of {@link REACTIONS}. */
export function parseReaction(payload: Uint8Array): string | null {
  if (payload.length > 256) {
    return null;
  }
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    const emoji = (value as { emoji?: unknown } | null)?.emoji;
    return typeof emoji === 'string' && (REACTIONS as readonly string[]).includes(emoji) ? emoji : null;
  } catch {
    return null;
  }
}
