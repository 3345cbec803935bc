import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

// One polite live region for the whole meeting: joins, departures, chat, lobby knocks. Screen
// readers read each new text once; the region itself is invisible.

const AnnounceContext = createContext<(text: string) => void>(() => {});

export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [text, setText] = useState('');
  const announce = useCallback((next: string) => {
    // Re-announcing the same words needs a change of content: append an invisible marker.
    setText((previous) => (previous === next ? next + '\u00a0' : next));
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {text}
      </div>
    </AnnounceContext.Provider>
  );
}

export function useAnnounce(): (text: string) => void {
  return useContext(AnnounceContext);
}
