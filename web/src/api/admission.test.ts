import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { awaitAdmission } from './admission';

/** A stand-in for the browser's EventSource: the test pushes events and errors by hand. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = FakeEventSource.CONNECTING;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, ((e: { data: string }) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (e: { data: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  push(data: string) {
    this.listeners.get('lobby')?.forEach((l) => l({ data }));
  }
  fail(forGood: boolean) {
    this.readyState = forGood ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}

/** The join answers, in order; each call to POST /join takes the next. */
function joinAnswers(...answers: { status: number; body: unknown }[]) {
  const fetch = vi.fn(async (url: string, init: { method: string }) => {
    expect(init.method).toBe('POST');
    expect(url).toBe('/api/v1/rooms/abc-defg-hij/join');
    const next = answers.shift();
    if (!next) throw new Error('unexpected join');
    return new Response(JSON.stringify(next.body), { status: next.status });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const ENTER = { status: 200, body: { status: 'enter', room: 'abc-defg-hij', token: 'jwt', role: 'member' } };
const WAITING = { status: 202, body: { status: 'waiting' } };

/** Lets the admission code run up to its next wait. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('awaitAdmission', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.last = null;
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('joins once when the event stream says admitted, and closes the stream', async () => {
    const fetch = joinAnswers(ENTER);
    const result = awaitAdmission('abc-defg-hij', new AbortController().signal);
    await settle();
    const events = FakeEventSource.last!;
    expect(events.url).toBe('/api/v1/rooms/abc-defg-hij/events');
    expect(fetch).not.toHaveBeenCalled(); // no polling while the stream is up
    events.push('{"status":"waiting"}');
    events.push('not json');
    await settle();
    expect(fetch).not.toHaveBeenCalled();
    events.push('{"status":"admitted"}');
    await expect(result).resolves.toEqual(ENTER.body);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(events.readyState).toBe(FakeEventSource.CLOSED);
  });

  it('learns a refusal as the 403 of its join', async () => {
    joinAnswers({ status: 403, body: { code: 'DENIED', message: 'no' } });
    const result = awaitAdmission('abc-defg-hij', new AbortController().signal);
    await settle();
    FakeEventSource.last!.push('{"status":"denied"}');
    await expect(result).resolves.toEqual({ status: 'refused' });
  });

  it('times out without a request when the knock expires', async () => {
    const fetch = joinAnswers();
    const result = awaitAdmission('abc-defg-hij', new AbortController().signal);
    await settle();
    FakeEventSource.last!.push('{"status":"expired"}');
    await expect(result).resolves.toEqual({ status: 'timeout' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('rides out a dropped stream, and polls every second once it is refused for good', async () => {
    const fetch = joinAnswers(WAITING, WAITING, ENTER);
    const result = awaitAdmission('abc-defg-hij', new AbortController().signal);
    await settle();
    FakeEventSource.last!.fail(false); // the browser reconnects by itself
    await settle();
    expect(fetch).not.toHaveBeenCalled();
    FakeEventSource.last!.fail(true); // e.g. 429: too many streams
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toEqual(ENTER.body);
  });

  it('backs off for three seconds after a 429 while polling, and fails on other errors', async () => {
    const fetch = joinAnswers({ status: 429, body: {} }, { status: 400, body: { code: 'BAD' } });
    vi.stubGlobal('EventSource', undefined); // no stream at all: poll from the start
    const result = awaitAdmission('abc-defg-hij', new AbortController().signal);
    const failed = expect(result).rejects.toMatchObject({ status: 400, code: 'BAD' });
    await settle();
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await failed;
  });

  it('gives up after ten minutes on the stream', async () => {
    joinAnswers();
    const result = awaitAdmission('abc-defg-hij', new AbortController().signal);
    await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
    await expect(result).resolves.toEqual({ status: 'timeout' });
    expect(FakeEventSource.last!.readyState).toBe(FakeEventSource.CLOSED);
  });

  it('stops, closing the stream, when the guest leaves the lobby', async () => {
    joinAnswers();
    const leave = new AbortController();
    const result = awaitAdmission('abc-defg-hij', leave.signal);
    await settle();
    leave.abort(new Error('left'));
    await expect(result).rejects.toThrow('left');
    expect(FakeEventSource.last!.readyState).toBe(FakeEventSource.CLOSED);
  });
});
