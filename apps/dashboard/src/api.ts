/**
 * The dashboard's only door to the API: same origin, the brand key in the Authorization header (never in a
 * URL), and every failure turned into an ApiError whose message a brand can act on.
 */
export type ApiErrorKind = 'unauthorized' | 'not_found' | 'rate_limited' | 'bad_request' | 'unavailable' | 'network';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status = 0,
    /** the API's own `error.code` (`over_budget`, `invalid_state`, …) and `error.details`, when it sent them */
    readonly code?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

async function errorFrom(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as ErrorBody;
  const said = body.error?.message;
  switch (res.status) {
    case 401:
      return new ApiError('unauthorized', 'That API key was not accepted. Check that you copied the whole key.', 401);
    case 404:
      return new ApiError('not_found', said ? `Not found: ${said}.` : 'Not found.', 404);
    case 429: {
      const wait = res.headers.get('Retry-After');
      return new ApiError(
        'rate_limited',
        `Too many requests for this key${wait ? `; try again in ${wait} s` : ''}.`,
        429,
      );
    }
    default:
      if (res.status >= 500) {
        return new ApiError(
          'unavailable',
          `The Seedline API is having trouble (HTTP ${res.status}). Try again in a moment.`,
          res.status,
        );
      }
      return new ApiError(
        'bad_request',
        said ?? `The request was refused (HTTP ${res.status}).`,
        res.status,
        body.error?.code,
        body.error?.details,
      );
  }
}

export const NETWORK_MESSAGE = 'Cannot reach the Seedline API. Check that it is running and that you are online.';

export class Api {
  constructor(readonly key: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.key}`, ...extra };
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(path, {
        ...init,
        headers: this.headers(init.headers as Record<string, string>),
        cache: 'no-store',
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError('network', NETWORK_MESSAGE);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  async json<T>(path: string, signal?: AbortSignal): Promise<T> {
    const res = await this.fetch(
      path,
      signal ? { signal, headers: { Accept: 'application/json' } } : { headers: { Accept: 'application/json' } },
    );
    return (await res.json()) as T;
  }

  /** A POST (a JSON body when given) answered with JSON, or with nothing (202/204 without a body). */
  async post<T>(path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(path, {
      method: 'POST',
      headers:
        body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';
