import { describe, expect, it } from 'vitest';
import { de } from './de';
import { en } from './en';
import { fr, type MessageKey } from './fr';
import { chooseLanguage, format, LANGUAGES } from './i18n';
import { nl } from './nl';

// The compiler already refuses a dictionary missing a French key; these check what it cannot:
// that translations are not empty and keep the same placeholders (a renamed "{name}" would show
// raw in the UI).

const OTHERS = { en, de, nl };
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('offer exactly the French keys in every language', () => {
    for (const [language, messages] of Object.entries(OTHERS)) {
      expect(Object.keys(messages).sort(), language).toEqual(Object.keys(fr).sort());
    }
  });

  it.each(Object.entries(OTHERS))('%s translates every message, with the same placeholders', (_, messages) => {
    for (const key of Object.keys(fr) as MessageKey[]) {
      expect(messages[key].trim(), key).not.toBe('');
      expect(placeholders(messages[key]), key).toEqual(placeholders(fr[key]));
    }
  });

  it('has no empty French text', () => {
    for (const [key, text] of Object.entries(fr)) {
      expect(text.trim(), key).not.toBe('');
    }
  });

  it('lists each language once, named in itself', () => {
    expect(LANGUAGES.map((l) => l.code)).toEqual(['fr', 'en', 'de', 'nl']);
  });
});

describe('chooseLanguage', () => {
  it.each([
    [null, [], 'fr'],
    [null, ['en-GB', 'fr'], 'en'],
    [null, ['de-AT'], 'de'],
    [null, ['NL-be'], 'nl'],
    [null, ['es', 'it'], 'fr'],
    [null, ['es', 'nl'], 'nl'],
    ['de', ['en'], 'de'],
    ['xx', ['en'], 'en'], // a stored value we no longer have is ignored
    ['toString', [], 'fr'], // not fooled by Object.prototype
  ] as const)('stored %j, browser %j: %s', (stored, preferred, expected) => {
    expect(chooseLanguage(stored, preferred)).toBe(expected);
  });
});

describe('format', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    const key = 'meeting.joined' as MessageKey;
    expect(fr[key]).toContain('{name}');
    expect(format(fr, key, { name: 'Ada' })).not.toContain('{name}');
    expect(format(fr, key, { name: 'Ada' })).toContain('Ada');
    expect(format(fr, key, {})).toContain('{name}');
    expect(format(fr, key)).toBe(fr[key]);
  });
});
