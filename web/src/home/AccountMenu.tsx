import { useState } from 'react';
import { signOut } from '../api/session';
import { useSession } from '../app/session';
import { useI18n } from '../i18n/i18n';

/** Who is signed in, and the way out; nothing for visitors (the page offers the sign-in). */
export function AccountMenu() {
  const { t } = useI18n();
  const { session, setSession } = useSession();
  const [busy, setBusy] = useState(false);
  if (!session?.authenticated) {
    return null;
  }
  const onSignOut = async () => {
    setBusy(true);
    try {
      const providerLogout = await signOut();
      if (providerLogout) {
        // Signed in through the organisation's provider: end its session too; it sends the
        // browser back to our home page.
        window.location.assign(providerLogout);
        return;
      }
      setSession(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="account">
      <span className="avatar" aria-hidden="true">
        {initials(session.name)}
      </span>
      <span className="account-name" data-testid="account-name">
        {session.name}
      </span>
      <button type="button" className="button ghost" onClick={onSignOut} disabled={busy} data-testid="sign-out">
        {t('account.signOut')}
      </button>
    </div>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}
