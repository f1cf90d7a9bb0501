import { payPalError, payPalToken, trimEndOf, type PayPalError } from '@seedline/domain';
import type { z } from 'zod';
import { ProviderUnavailableError } from './provider.js';

export interface PayPalClientOptions {
  /** `https://api-m.paypal.com`, `https://api-m.sandbox.paypal.com`, or a stand-in */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** per request: a timeout is not a failure (the payout may have been made), it is retried with the same key */
  timeoutMs: number;
}

/** An answer PayPal gave with an error status, parsed as PayPal documents its error bodies. */
export class PayPalHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: PayPalError,
  ) {
    super(`PayPal answered ${status}${body.name ? ` ${body.name}` : ''}`);
    this.name = 'PayPalHttpError';
  }
}

const MAX_BODY = 2 << 20;
/** A token is renewed this long before PayPal says it expires, so none expires on the way. */
const EARLY_RENEWAL_MS = 60_000;

/**
 * PayPal REST over fetch: OAuth2 client credentials (`POST /v1/oauth2/token`, HTTP Basic with the client id and
 * secret, `grant_type=client_credentials`), the token cached until shortly before `expires_in` and fetched once
 * for concurrent callers, renewed once when PayPal refuses it (401). Redirects are never followed. The secret
 * and the token never leave this object.
 */
export class PayPalClient {
  private token: { value: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly base: string;

  constructor(private readonly opts: PayPalClientOptions) {
    this.base = trimEndOf(opts.baseUrl, '/');
  }

  async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>> {
    for (let renewed = false; ; renewed = true) {
      const token = await this.accessToken();
      const res = await this.fetch(path, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.status === 401 && !renewed) {
        this.token = undefined;
        continue;
      }
      return this.parse(res, schema);
    }
  }

  private accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return Promise.resolve(this.token.value);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`).toString('base64');
    const res = await this.fetch('/v1/oauth2/token', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    if (res.status === 401 || res.status === 403) {
      // Our credentials, not the payout: retried (and logged as an error by the processor) until fixed.
      throw new ProviderUnavailableError(`PayPal refused the client credentials (${res.status})`);
    }
    const token = this.parse(res, payPalToken);
    const lifetimeMs = token.expires_in * 1000;
    this.token = {
      value: token.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs / 2, lifetimeMs - EARLY_RENEWAL_MS),
    };
    return token.access_token;
  }

  private async fetch(path: string, init: RequestInit): Promise<{ status: number; text: string }> {
    try {
      const res = await fetch(`${this.base}${path}`, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      return { status: res.status, text: await readCapped(res) };
    } catch (err) {
      if (err instanceof ProviderUnavailableError) throw err;
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : e.message;
      throw new ProviderUnavailableError(`PayPal ${init.method} ${path.split('/').slice(0, 4).join('/')}: ${why}`);
    }
  }

  private parse<S extends z.ZodType>(res: { status: number; text: string }, schema: S): z.infer<S> {
    if (res.status >= 500 || res.status === 429) {
      throw new ProviderUnavailableError(`PayPal answered ${res.status}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      throw new ProviderUnavailableError(`PayPal answered ${res.status} with a body that is not JSON`);
    }
    if (res.status >= 400) {
      const err = payPalError.safeParse(json);
      throw new PayPalHttpError(res.status, err.success ? err.data : {});
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProviderUnavailableError(
        `PayPal's answer (${res.status}) does not have the documented shape: ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    return parsed.data;
  }
}

async function readCapped(res: Response): Promise<string> {
  const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new ProviderUnavailableError(`PayPal's answer is over ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
