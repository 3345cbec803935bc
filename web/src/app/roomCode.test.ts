import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRoomCode, roomLink } from './roomCode';

describe('parseRoomCode', () => {
  beforeEach(() => {
    // Links are resolved against the page's origin; Node has no window.
    vi.stubGlobal('window', { location: { origin: 'https://visio.example' } });
  });
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['abc-defg-hij', 'abc-defg-hij'],
    ['ABCDEFGHIJ', 'abc-defg-hij'],
    ['  abc-defghij \n', 'abc-defg-hij'],
    ['abcdefg-hij', 'abc-defg-hij'],
    ['https://visio.example/abc-defg-hij', 'abc-defg-hij'],
    ['https://other.example/abc-defg-hij/', 'abc-defg-hij'],
    ['https://visio.example/abc-defg-hij#k=secret', 'abc-defg-hij'],
    ['/abc-defg-hij', 'abc-defg-hij'],
  ])('reads %j as %s', (input, code) => {
    expect(parseRoomCode(input)).toBe(code);
  });

  it.each([
    '',
    'abc-defg-hi', // nine letters
    'abc-defg-hijk', // eleven
    'abc--defghij', // a doubled dash
    '-abcdefghij',
    'abc defg hij', // spaces are not separators
    'abc-défg-hij', // ASCII only
    'abc-defg-hi1',
    'https://visio.example/',
    'a/'.repeat(1100), // longer than any link
  ])('refuses %j', (input) => {
    expect(parseRoomCode(input)).toBeNull();
  });

  it('makes the link people share from the page origin', () => {
    expect(roomLink('abc-defg-hij')).toBe('https://visio.example/abc-defg-hij');
  });
});
