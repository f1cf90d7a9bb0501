import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

/**
 * A fixed-window limiter kept in process memory, per key (an IP, an API key). Per process: behind a load
 * balancer each replica limits on its own, which is the intent (it protects the process, not a quota).
 */
export class WindowLimiter {
  private windowStart = Date.now();
  private counts = new Map<string, number>();
  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Counts a hit; returns seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = Date.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.counts.clear();
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n > this.max ? Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000)) : 0;
  }
}

export function rateLimit(limiter: WindowLimiter, keyOf: (req: Parameters<RequestHandler>[0]) => string): RequestHandler {
  return (req, _res, next) => {
    const wait = limiter.hit(keyOf(req));
    if (wait > 0) {
      next(new HttpError(429, 'rate_limited', `too many requests, retry in ${wait} s`, undefined, { 'Retry-After': String(wait) }));
      return;
    }
    next();
  };
}
