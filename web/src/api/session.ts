import { ApiError, request, setCsrfToken } from './http';

/** Who the browser is, as GET /api/v1/session describes it. */
export interface Session {
  name: string;
  authenticated: boolean;
  email?: string;
  csrf_token: string;
}

/** The current session, or null when the browser has none. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return remember((await request<Session>('GET', '/api/v1/session')).body);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken('');
      return null;
    }
    throw e;
  }
}

export async function signInAsGuest(name: string): Promise<Session> {
  return remember((await request<Session>('POST', '/api/v1/session/guest', { name })).body);
}

export async function signInForDevelopment(email: string, name: string): Promise<Session> {
  return remember((await request<Session>('POST', '/api/v1/session/dev', { email, name })).body);
}

/**
 * Whether the server offers the development sign-in: it answers an empty sign-in with 400 (an
 * e-mail is required) when on, 404 when off. Nothing is signed in by asking.
 */
export async function devSignInAvailable(): Promise<boolean> {
  try {
    await request('POST', '/api/v1/session/dev', {});
    return true;
  } catch (e) {
    return e instanceof ApiError && e.status === 400;
  }
}

/**
 * Ends the session here; for a session from the OpenID Connect provider, the provider's logout
 * address to send the browser to (RP-initiated logout), else null.
 */
export async function signOut(): Promise<string | null> {
  const answer = await request<{ logout_url?: string } | undefined>('POST', '/api/v1/session/logout');
  setCsrfToken('');
  return providerLogout(answer.body?.logout_url);
}

/** {@code url} if it is a web address the browser may be sent to (never javascript: or data:). */
export function providerLogout(url: string | undefined): string | null {
  if (!url) {
    return null;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The OpenID Connect sign-in, coming back to {@code returnTo} on this site. */
export function oidcSignInUrl(returnTo: string): string {
  return '/auth/login?return_to=' + encodeURIComponent(returnTo);
}

function remember(session: Session): Session {
  setCsrfToken(session.csrf_token);
  return session;
}
