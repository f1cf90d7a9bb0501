import { IG_INVALID_TOKEN_CODE, IG_RATE_LIMIT_CODES, isIgMissingObject, type IgError } from '@seedline/domain';

/**
 * A failed Graph API call. Its message never holds the URL (which carries the access token as documented) nor
 * anything of the token: it is logged and stored on timelines as is.
 */
export class GraphError extends Error {
  readonly code: number | null;
  readonly subcode: number | null;
  readonly status: number;
  /** how long to wait before calling again, for a rate-limit error */
  readonly retryAfterMs: number;

  constructor(status: number, error: IgError | null, retryAfterMs = 0, detail?: string) {
    const what = error
      ? `Graph API error ${error.code}${error.error_subcode ? `/${error.error_subcode}` : ''}: ${(error.message ?? '').slice(0, 200)}`
      : `Graph API ${detail ?? `answered HTTP ${status}`}`;
    super(what);
    this.name = 'GraphError';
    this.status = status;
    this.code = error?.code ?? null;
    this.subcode = error?.error_subcode ?? null;
    this.retryAfterMs = retryAfterMs;
  }

  get rateLimited(): boolean {
    return this.code !== null && IG_RATE_LIMIT_CODES.has(this.code);
  }

  get invalidToken(): boolean {
    return this.code === IG_INVALID_TOKEN_CODE;
  }

  /** the object asked for does not exist (or no longer: a deleted post) */
  get missing(): boolean {
    return this.code !== null && isIgMissingObject({ code: this.code, error_subcode: this.subcode ?? undefined });
  }
}
