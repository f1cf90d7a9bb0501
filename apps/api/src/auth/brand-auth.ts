import type { RequestHandler } from 'express';
import type { BrandDoc, BrandRepository } from '@seedline/db';
import { BoundedCache } from '@seedline/domain';
import { bearerToken, clientKey, HttpError, unauthorized, type WindowLimiter } from '@seedline/http';

declare module 'express-serve-static-core' {
  interface Request {
    brand?: BrandDoc;
  }
}

const rateLimited = (wait: number) =>
  new HttpError(429, 'rate_limited', `too many requests, retry in ${wait} s`, undefined, {
    'Retry-After': String(wait),
  });

/**
 * Resolves the API key to its brand (cached briefly by key) and rate-limits per key. Failed attempts are
 * limited per client address too (an IPv6 client by its /64, which one subscriber usually holds whole), so
 * keys cannot be guessed at speed.
 */
export function brandAuth(
  brands: Pick<BrandRepository, 'findByApiKey'>,
  limits: { perKey: WindowLimiter; failuresPerClient: WindowLimiter },
): RequestHandler {
  const cache = new BoundedCache<string, { brand: BrandDoc | null; at: number }>(10_000);
  return async (req, _res, next) => {
    const key = bearerToken(req.headers.authorization);
    let hit = key && key.length <= 200 ? cache.get(key) : undefined;
    if (key && key.length <= 200 && (!hit || Date.now() - hit.at > 30_000)) {
      hit = { brand: await brands.findByApiKey(key), at: Date.now() };
      cache.set(key, hit);
    }
    if (!hit?.brand) {
      const wait = limits.failuresPerClient.hit(clientKey(req.ip));
      return next(wait > 0 ? rateLimited(wait) : unauthorized());
    }
    const wait = limits.perKey.hit(hit.brand._id);
    if (wait > 0) return next(rateLimited(wait));
    req.brand = hit.brand;
    next();
  };
}

export function currentBrand(req: { brand?: BrandDoc }): BrandDoc {
  if (!req.brand) throw unauthorized();
  return req.brand;
}
