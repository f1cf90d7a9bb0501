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

/** Anything that counts a hit for a key and answers the seconds to wait (0 = allowed). */
export interface HitLimiter {
  hit(key: string): number;
}

/**
 * A fixed window per key, starting at that key's first hit: unlike one shared window, clients do not all
 * get a fresh allowance at the same instant, and a client's allowance does not depend on when the process
 * started. Bounded in memory: expired keys are swept once `maxKeys` is reached.
 */
export class KeyWindowLimiter implements HitLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    readonly maxKeys = 100_000,
  ) {}

  hit(key: string): number {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count > this.max ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
  }

  /** The seconds `key` must still wait (0 = allowed), without counting a hit. */
  waitOf(key: string): number {
    const now = Date.now();
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.count < this.max) return 0;
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    // Still full of live windows (a flood of addresses): forget them rather than grow without bound.
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}

export function rateLimit(limiter: HitLimiter, keyOf: (req: Parameters<RequestHandler>[0]) => string): RequestHandler {
  return (req, _res, next) => {
    const wait = limiter.hit(keyOf(req));
    if (wait > 0) {
      next(
        new HttpError(429, 'rate_limited', `too many requests, retry in ${wait} s`, undefined, {
          'Retry-After': String(wait),
        }),
      );
      return;
    }
    next();
  };
}
