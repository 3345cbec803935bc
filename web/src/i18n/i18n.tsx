import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { de } from './de';
import { en } from './en';
import { fr, type MessageKey, type Messages } from './fr';
import { nl } from './nl';

export type Language = 'fr' | 'en' | 'de' | 'nl';

/** Each language named in itself, as a language switch shows them. */
export const LANGUAGES: readonly { code: Language; name: string }[] = [
  { code: 'fr', name: 'Français' },
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
  { code: 'nl', name: 'Nederlands' },
];

const DICTIONARIES: Record<Language, Messages> = { fr, en, de, nl };
const STORAGE_KEY = 'visio.language';

/**
 * The language to show: the one the user chose before, else the first of the browser's that we
 * have ("de-AT" counts as German), else French.
 */
export function chooseLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (stored && Object.hasOwn(DICTIONARIES, stored)) {
    return stored as Language;
  }
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (Object.hasOwn(DICTIONARIES, base)) {
      return base as Language;
    }
  }
  return 'fr';
}

/** {@code key}'s text with each "{name}" replaced by {@code vars.name}. */
export function format(
  messages: Messages,
  key: MessageKey,
  vars?: Record<string, string | number>,
): string {
  const text = messages[key];
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m)) : text;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the choice lasts for this page only
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    chooseLanguage(readStored(), navigator.languages ?? [navigator.language]),
  );
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage disabled: keep the choice in memory
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, vars) => format(DICTIONARIES[language], key, vars),
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) {
    throw new Error('useI18n outside I18nProvider');
  }
  return i18n;
}
