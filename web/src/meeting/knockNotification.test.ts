import { describe, expect, it } from 'vitest';
import { shouldNotify } from './knockNotification';

describe('shouldNotify', () => {
  it.each([
    [true, 'granted', true, true],
    [true, 'granted', false, false], // the page is in sight: chime and announcement suffice
    [false, 'granted', true, false], // the host did not ask for it
    [true, 'denied', true, false],
    [true, 'default', true, false], // never prompts by itself
    [true, undefined, true, false],
  ] as const)('wanted %s, permission %s, hidden %s: %s', (wanted, permission, hidden, expected) => {
    expect(shouldNotify(wanted, permission, hidden)).toBe(expected);
  });
});
