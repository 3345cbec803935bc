import { useEffect, useState, type FormEvent } from 'react';
import { devSignInAvailable, oidcSignInUrl, signInForDevelopment } from '../api/session';
import { useSession } from '../app/session';
import { useI18n } from '../i18n/i18n';

/**
 * For visitors: starting a meeting needs an account. Offers the development sign-in when the
 * server has it on, else the organisation's sign-in (OpenID Connect).
 */
export function SignInPanel() {
  const { t } = useI18n();
  const { setSession } = useSession();
  const [dev, setDev] = useState<boolean | undefined>(undefined);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    devSignInAvailable().then((on) => live && setDev(on));
    return () => {
      live = false;
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      setSession(await signInForDevelopment(email.trim(), name.trim() || email.trim()));
    } catch {
      setError(t('signIn.failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card sign-in">
      <h2>{t('signIn.title')}</h2>
      <p>{t('signIn.why')}</p>
      {dev === false && (
        <a
          className="button primary"
          href={oidcSignInUrl(window.location.pathname)}
          data-testid="oidc-sign-in"
        >
          {t('signIn.oidc')}
        </a>
      )}
      {dev === true && (
        <form onSubmit={submit} className="stack" aria-describedby="dev-sign-in-note">
          <p id="dev-sign-in-note" className="note">
            {t('signIn.devNote')}
          </p>
          <label className="field">
            <span>{t('signIn.email')}</span>
            <input
              type="email"
              required
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="dev-email"
            />
          </label>
          <label className="field">
            <span>{t('signIn.name')}</span>
            <input
              type="text"
              autoComplete="name"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="dev-name"
            />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy} data-testid="dev-sign-in">
            {t('signIn.submit')}
          </button>
        </form>
      )}
    </div>
  );
}
