// The meeting service's HTTP API: JSON in and out, same origin, the session cookie sent by the
// browser and the CSRF token added to every write.

/** An answer the API gave with an error status: its HTTP status and machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

/** The CSRF token of the current session (from GET /api/v1/session); sent with every write. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export interface Answer<T> {
  status: number;
  body: T;
}

/** One request; any status from 200 to 299 is an answer, anything else an {@link ApiError}. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    credentials: 'same-origin',
    signal,
  });
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed ?? {}) as { code?: string; message?: string };
    throw new ApiError(response.status, error.code ?? 'HTTP', error.message ?? response.statusText);
  }
  return { status: response.status, body: parsed as T };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
