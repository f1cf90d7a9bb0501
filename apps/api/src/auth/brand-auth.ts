import type { RequestHandler } from 'express';
import type { BrandDoc, BrandRepository } from '@seedline/db';
import { bearerToken, HttpError, unauthorized, type WindowLimiter } from '@seedline/http';

declare module 'express-serve-static-core' {
  interface Request {
    brand?: BrandDoc;
  }
}

/** Resolves the API key to its brand (cached briefly by key hash) and rate-limits per key. */
export function brandAuth(brands: Pick<BrandRepository, 'findByApiKey'>, limiter: WindowLimiter): RequestHandler {
  const cache = new Map<string, { brand: BrandDoc | null; at: number }>();
  return async (req, _res, next) => {
    const key = bearerToken(req.headers.authorization);
    if (!key || key.length > 200) return next(unauthorized());
    let hit = cache.get(key);
    if (!hit || Date.now() - hit.at > 30_000) {
      hit = { brand: await brands.findByApiKey(key), at: Date.now() };
      if (cache.size > 10_000) cache.clear();
      cache.set(key, hit);
    }
    if (!hit.brand) return next(unauthorized());
    const wait = limiter.hit(hit.brand._id);
    if (wait > 0) {
      return next(new HttpError(429, 'rate_limited', `too many requests, retry in ${wait} s`, undefined, { 'Retry-After': String(wait) }));
    }
    req.brand = hit.brand;
    next();
  };
}

export function currentBrand(req: { brand?: BrandDoc }): BrandDoc {
  if (!req.brand) throw unauthorized();
  return req.brand;
}
