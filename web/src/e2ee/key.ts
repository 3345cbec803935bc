// The end-to-end encryption key of a meeting: random bytes made in the browser, carried only in the
// link's fragment ("/abc-defg-hij#key=..."). Browsers never send a fragment to a server (not in the
// request line, not in Referer), so the server that forwards the media never learns the key.

/** 128 bits: the AES-GCM key livekit-client derives from it (HKDF) is 128 bits too. */
export const KEY_BYTES = 16;
/** Longer keys are accepted (from a future version or another client); this bounds the input. */
const MAX_KEY_BYTES = 64;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A fresh key, base64url without padding (22 characters). */
export function generateKey(): string {
  const bytes = new Uint8Array(KEY_BYTES);
  crypto.getRandomValues(bytes);
  return toBase64Url(bytes);
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of a base64url key, or null when it is not one of an acceptable length. */
export function keyBytes(key: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64URL.test(key) || key.length % 4 === 1 || key.length > 2 * MAX_KEY_BYTES) {
    return null;
  }
  const binary = atob(key.replace(/-/g, '+').replace(/_/g, '/'));
  if (binary.length < KEY_BYTES || binary.length > MAX_KEY_BYTES) {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/**
 * What a link's fragment says about encryption: no key (a plain meeting, or a link that lost its
 * key), a usable key, or something that is not a key.
 */
export type FragmentKey = { kind: 'none' } | { kind: 'key'; key: string } | { kind: 'invalid' };

/** Reads "#key=..." (other fragment parameters are ignored). */
export function readFragmentKey(hash: string): FragmentKey {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const key = params.get('key');
  if (key === null) {
    return { kind: 'none' };
  }
  return keyBytes(key) ? { kind: 'key', key } : { kind: 'invalid' };
}

/** The fragment that carries {@code key}. */
export function keyFragment(key: string): string {
  return '#key=' + key;
}

/** The key fragment of a pasted link, or "" (a code alone, or a link without a key). */
export function fragmentOfLink(text: string): string {
  const hash = text.indexOf('#');
  if (hash < 0) {
    return '';
  }
  const found = readFragmentKey(text.slice(hash));
  return found.kind === 'key' ? keyFragment(found.key) : '';
}
