import { describe, expect, it } from 'vitest';
import { BACKGROUND_IMAGES, backgroundKey, NO_EFFECTS, parseEffects } from './settings';

describe('parseEffects', () => {
  it.each([
    [null, NO_EFFECTS],
    ['', NO_EFFECTS],
    ['not json', NO_EFFECTS],
    ['null', NO_EFFECTS],
    ['42', NO_EFFECTS],
    ['"blur"', NO_EFFECTS],
    ['{}', NO_EFFECTS],
    ['{"background":{"kind":"blur"}}', { background: { kind: 'blur' }, noiseSuppression: false }],
    ['{"background":{"kind":"image","id":"lagoon"},"noiseSuppression":true}', { background: { kind: 'image', id: 'lagoon' }, noiseSuppression: true }],
    // An image we do not ship (older version, edited storage) falls back to none.
    ['{"background":{"kind":"image","id":"../../etc/passwd"}}', NO_EFFECTS],
    ['{"background":{"kind":"image"}}', NO_EFFECTS],
    ['{"background":{"kind":"sparkles"}}', NO_EFFECTS],
    // Only a real true turns noise suppression on.
    ['{"noiseSuppression":"true"}', NO_EFFECTS],
    ['{"noiseSuppression":1}', NO_EFFECTS],
    ['{"background":null,"noiseSuppression":true}', { background: { kind: 'none' }, noiseSuppression: true }],
  ])('reads %j', (raw, expected) => {
    expect(parseEffects(raw)).toEqual(expected);
  });

  it('reads back what it would store, for every choice', () => {
    const choices = [{ kind: 'none' }, { kind: 'blur' }, ...BACKGROUND_IMAGES.map((i) => ({ kind: 'image', id: i.id }))] as const;
    for (const background of choices) {
      for (const noiseSuppression of [false, true]) {
        const settings = { background, noiseSuppression };
        expect(parseEffects(JSON.stringify(settings))).toEqual(settings);
      }
    }
  });

  it('never throws and always answers a known background, whatever storage holds', () => {
    // A seeded generator of JSON-ish junk, so a failure replays.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const atoms = ['{', '}', '"background"', '"kind"', '"image"', '"blur"', '"id"', ':', ',', '[', ']', 'true', 'null', '"dawn"', '1e999', '"\\u0000"'];
    const known = new Set(['none', 'blur', ...BACKGROUND_IMAGES.map((i) => 'image-' + i.id)]);
    for (let i = 0; i < 2000; i++) {
      let raw = '';
      for (let n = next() % 12; n > 0; n--) raw += atoms[next() % atoms.length];
      const parsed = parseEffects(raw);
      expect(known.has(backgroundKey(parsed.background)), raw).toBe(true);
      expect(typeof parsed.noiseSuppression, raw).toBe('boolean');
    }
  });
});
