import { ApiError } from './http';
import { joinRoom, type JoinResult } from './rooms';

// How a guest in the lobby learns the host's decision. Today it asks again every second (as La
// Suite Meet does); the server's lobby events (SSE) can replace the loop behind this same function.

const POLL_MS = 1000;
/** After a 429, wait longer: the join rate limit refills at one a second. */
const BACKOFF_MS = 3000;
/** Like La Suite Meet, a guest stops waiting after ten minutes. */
const GIVE_UP_MS = 10 * 60 * 1000;

export type Admission = Exclude<JoinResult, { status: 'waiting' }> | { status: 'timeout' };

/**
 * Resolves with the host's decision (a token or a refusal), or a timeout; rejects on an error the
 * loop cannot ride out. Stops when {@code signal} aborts.
 */
export async function awaitAdmission(code: string, signal: AbortSignal): Promise<Admission> {
  const deadline = Date.now() + GIVE_UP_MS;
  while (Date.now() < deadline) {
    let delay = POLL_MS;
    try {
      const result = await joinRoom(code, signal);
      if (result.status !== 'waiting') {
        return result;
      }
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 429 || e.status >= 500))) {
        throw e;
      }
      delay = BACKOFF_MS;
    }
    await pause(delay, signal);
  }
  return { status: 'timeout' };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
