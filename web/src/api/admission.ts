import { ApiError } from './http';
import { joinRoom, type JoinResult } from './rooms';

// How a guest in the lobby learns the host's decision: pushed by the server's lobby events
// (GET /api/v1/rooms/{code}/events, server-sent events: the decision arrives within a second, no
// request in between), then one join for the token. Where the stream cannot be had (refused when
// too many are open, a proxy that buffers), it asks again every second instead, as La Suite Meet
// does.

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
  const pushed = await awaitDecisionEvent(code, deadline, signal);
  if (pushed === 'timeout') {
    return { status: 'timeout' };
  }
  if (pushed === 'decided') {
    const result = await joinRoom(code, signal);
    if (result.status !== 'waiting') {
      return result;
    }
  }
  return poll(code, deadline, signal);
}

/**
 * Waits on the lobby's event stream until the host decides ('decided'), the knock lapses or the
 * deadline passes ('timeout'), or the stream fails for good ('unavailable': poll instead).
 */
function awaitDecisionEvent(
  code: string,
  deadline: number,
  signal: AbortSignal,
): Promise<'decided' | 'timeout' | 'unavailable'> {
  if (typeof EventSource === 'undefined') {
    return Promise.resolve('unavailable');
  }
  return new Promise((resolve, reject) => {
    const events = new EventSource(`/api/v1/rooms/${encodeURIComponent(code)}/events`);
    const timer = setTimeout(() => finish('timeout'), Math.max(0, deadline - Date.now()));
    const onAbort = () => {
      cleanUp();
      reject(signal.reason);
    };
    function cleanUp() {
      clearTimeout(timer);
      events.close();
      signal.removeEventListener('abort', onAbort);
    }
    function finish(outcome: 'decided' | 'timeout' | 'unavailable') {
      cleanUp();
      resolve(outcome);
    }
    signal.addEventListener('abort', onAbort, { once: true });
    events.addEventListener('lobby', (e) => {
      const status = parseStatus((e as MessageEvent<string>).data);
      if (status === 'admitted' || status === 'denied') {
        finish('decided');
      } else if (status === 'expired') {
        finish('timeout');
      }
    });
    // A network drop is retried by the browser itself (readyState CONNECTING); a refusal (429,
    // 503, 403) closes the stream for good.
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        finish('unavailable');
      }
    };
  });
}

function parseStatus(data: string): string | undefined {
  try {
    return (JSON.parse(data) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

async function poll(code: string, deadline: number, signal: AbortSignal): Promise<Admission> {
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
