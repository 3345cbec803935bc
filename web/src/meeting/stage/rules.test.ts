import { describe, expect, it } from 'vitest';
import {
  arrange,
  handQueue,
  pageCapacity,
  paginate,
  parseReaction,
  REACTION_MAX,
  REACTION_WINDOW_MS,
  reactionAllowed,
  spotlight,
  stripCapacity,
} from './rules';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('pageCapacity', () => {
  it.each([
    [1280, 720, 16], // 6 × 4 fit; a large screen shows at most 16
    [1000, 700, 9], // 4 × 4 fit; a laptop shows at most 9
    [800, 400, 6], // 3 × 2 tiles of at least 200 × 150
    [620, 470, 9], // 3 × 3 exactly: 200 + 10 + 200 + 10 + 200
    [619, 470, 6], // one pixel short of a third column
    [420, 320, 4], // a phone: 2 × 2 tiles of at least 140 × 105
    [100, 50, 1], // never zero
  ])('%i × %i holds %i', (w, h, n) => {
    expect(pageCapacity(w, h)).toBe(n);
  });
});

describe('stripCapacity', () => {
  it('fits whole tiles with gaps, at least one', () => {
    expect(stripCapacity(120, 120)).toBe(1);
    expect(stripCapacity(250, 120)).toBe(2);
    expect(stripCapacity(10, 120)).toBe(1);
  });
});

describe('paginate', () => {
  const fiftyOne = Array.from({ length: 51 }, (_, i) => 'p' + i);
  it('cuts 51 people into pages of 16', () => {
    const first = paginate(fiftyOne, 16, 0);
    expect(first.pages).toBe(4);
    expect(first.items).toHaveLength(16);
    expect(paginate(fiftyOne, 16, 3).items).toEqual(['p48', 'p49', 'p50']);
  });
  it('clamps a page out of range', () => {
    expect(paginate(fiftyOne, 16, 99).page).toBe(3);
    expect(paginate(fiftyOne, 16, -1).page).toBe(0);
    expect(paginate([], 16, 2)).toEqual({ pages: 1, page: 0, items: [] });
    expect(paginate(['a', 'b'], 0, 1).items).toEqual(['b']); // a zero size counts as one
  });
});

describe('arrange', () => {
  it('keeps places, appends newcomers, drops leavers', () => {
    expect(arrange(['a', 'b', 'c'], ['c', 'd', 'a'], [], new Map(), 9)).toEqual(['a', 'c', 'd']);
  });
  it('puts front tiles first, in their order, once', () => {
    expect(arrange(['a', 'b', 'c'], ['a', 'b', 'c'], ['c', 'gone', 'b', 'c'], new Map(), 9)).toEqual(['c', 'b', 'a']);
  });
  it('brings someone speaking on page 2 onto page 1, in place of the longest silent', () => {
    const spoke = new Map([
      ['a', 10],
      ['b', 5],
      ['e', 20],
    ]);
    // Page size 3: me leads; a and b sit on page 1; e spoke last but is on page 2.
    expect(arrange(['me', 'a', 'b', 'c', 'e'], ['me', 'a', 'b', 'c', 'e'], ['me'], spoke, 3)).toEqual(['me', 'a', 'e', 'c', 'b']);
  });
  it('leaves page 1 alone when its people spoke more recently', () => {
    const spoke = new Map([
      ['a', 30],
      ['b', 40],
      ['c', 1],
    ]);
    expect(arrange(['a', 'b', 'c'], ['a', 'b', 'c'], [], spoke, 2)).toEqual(['a', 'b', 'c']);
  });
});

describe('spotlight', () => {
  it.each([
    ['grid', 'pin', 'share', 'speaker', 'pin'],
    ['grid', null, 'share', 'speaker', null],
    ['auto', null, 'share', 'speaker', 'share'],
    ['auto', null, null, 'speaker', null],
    ['speaker', null, null, 'speaker', 'speaker'],
    ['focus', null, 'share', 'speaker', 'share'],
  ] as const)('%s, pinned %s, share %s, speaker %s: %s', (layout, pinned, share, speaker, big) => {
    expect(spotlight(layout, pinned, share, speaker)).toBe(big);
  });
});

describe('reactions', () => {
  it('allows a burst of REACTION_MAX per window', () => {
    const sent = Array.from({ length: REACTION_MAX }, (_, i) => 1000 + i);
    expect(reactionAllowed(sent.slice(1), 1100)).toBe(true);
    expect(reactionAllowed(sent, 1100)).toBe(false);
    expect(reactionAllowed(sent, 1000 + REACTION_WINDOW_MS)).toBe(true); // the first has aged out
  });
  it.each([
    ['{"emoji":"👍"}', '👍'],
    ['{"emoji":"🎉","extra":1}', '🎉'],
    ['{"emoji":"💩"}', null],
    ['{"emoji":["👍"]}', null],
    ['null', null],
    ['👍', null],
    ['{"emoji":"👍"' + ' '.repeat(300) + '}', null], // too long to read
  ])('parses %j', (payload, emoji) => {
    expect(parseReaction(bytes(payload))).toBe(emoji);
  });
  it('ignores bytes that are not UTF-8 JSON', () => {
    expect(parseReaction(new Uint8Array([0xff, 0xfe, 0x7b]))).toBeNull();
  });
});

describe('handQueue', () => {
  it('orders raised hands by time, then identity; ignores lowered and unreadable ones', () => {
    const queue = handQueue([
      { identity: 'zoe', raisedAt: '2026-01-01T10:00:02Z' },
      { identity: 'bob', raisedAt: '2026-01-01T10:00:01Z' },
      { identity: 'amy', raisedAt: '2026-01-01T10:00:02Z' },
      { identity: 'low', raisedAt: undefined },
      { identity: 'bad', raisedAt: 'yesterday' },
    ]);
    expect([...queue]).toEqual([
      ['bob', 1],
      ['amy', 2],
      ['zoe', 3],
    ]);
  });
});
