import { ApiError, request } from './http';

const path = (code: string) => '/api/v1/rooms/' + encodeURIComponent(code) + '/invitations';

/**
 * Whether this server sends invitations by email, for a host of {@code code}. The API has no
 * capability to ask for, so this posts an empty list: the server answers 501 NOT_CONFIGURED before
 * anything else when it has no mail server, and otherwise refuses the empty list (400) without
 * sending or counting anything against the rate limit.
 */
export async function invitationsAvailable(code: string): Promise<boolean> {
  try {
    await request('POST', path(code), { emails: [] });
    return true;
  } catch (e) {
    return e instanceof ApiError && e.status === 400;
  }
}

/** Sends the meeting's link to {@code emails}; how many distinct addresses it went to. */
export async function invite(code: string, emails: string[], message?: string): Promise<number> {
  const body = message ? { emails, message } : { emails };
  return (await request<{ sent: number }>('POST', path(code), body)).body.sent;
}

/** The addresses in what someone typed: separated by commas, semicolons, spaces or lines. */
export function parseAddresses(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const address = part.trim();
    if (address) {
      seen.add(address.toLowerCase());
    }
  }
  return [...seen];
}

/** A light check (the server decides): something@something.tld, no spaces or angle brackets. */
export function looksLikeAddress(address: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address) && address.length <= 254;
}
