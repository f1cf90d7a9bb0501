import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { clientKey } from './client-key.js';
import { HttpError } from './errors.js';
import { bearerToken } from './middleware.js';
import type { KeyWindowLimiter } from './rate-limit.js';

/** A client past its limit of wrong credentials: the 429 to answer (before anything is compared), or null. */
export function refusedForFailures(
  failures: Pick<KeyWindowLimiter, 'waitOf'>,
  client: string,
  what: string,
): HttpError | null {
  const wait = failures.waitOf(client);
  if (wait <= 0) return null;
  return new HttpError(429, 'rate_limited', `too many ${what}, retry in ${wait} s`, undefined, {
    'Retry-After': String(wait),
  });
}

/**
 * `Authorization: Bearer <expected>` (a server-to-server secret such as INGEST_TOKEN). Wrong tokens are counted
 * per client (an IPv6 client by its /64); past the limit, the client's requests answer 429 before the token is
 * compared, so a right guess inside a refused window reads like a wrong one. A request without a token is not
 * counted (it guesses nothing).
 */
export function requireBearer(expected: string, failures: Pick<KeyWindowLimiter, 'hit' | 'waitOf'>): RequestHandler {
  // The expected side's digest once, not per request (the comparison stays constant-time).
  const want = createHash('sha256').update(expected).digest();
  return (req, _res, next) => {
    const client = clientKey(req.ip);
    const refused = refusedForFailures(failures, client, 'wrong bearer tokens');
    if (refused) return next(refused);
    const token = bearerToken(req.headers.authorization);
    if (!token || !timingSafeEqual(createHash('sha256').update(token).digest(), want)) {
      if (token) failures.hit(client);
      next(new HttpError(401, 'unauthorized', 'missing or invalid bearer token'));
      return;
    }
    next();
  };
}
