import { createContext, useContext } from 'react';
import type { FragmentKey } from './key';

/** The meeting's encryption as this page holds it: the fragment's key, or why there is none. */
export const E2eeContext = createContext<FragmentKey>({ kind: 'none' });

export function useE2eeKey(): FragmentKey {
  return useContext(E2eeContext);
}

/** The fragment an invitation to this meeting must carry ("" for a plain meeting). */
export function useInvitationFragment(): string {
  const k = useE2eeKey();
  return k.kind === 'key' ? '#key=' + k.key : '';
}
