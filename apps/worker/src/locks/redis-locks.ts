import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withLockCommands, type LockCommands } from './commands/index.js';

export interface LockOptions {
  /** how long a lock outlives a holder that stopped renewing it (renewed every third of it while held) */
  ttlMs: number;
  /** how long a caller waits for a lock before its job fails (and is retried) */
  waitMs: number;
}

/**
 * Named locks in Redis, shared by every worker process: one holder of a name at a time (reminders use it so
 * that two deliveries of one reminder never overlap). Keys share the queue prefix's hash tag, so they sit in
 * the queues' Redis Cluster slot.
 */
export class RedisLocks {
  /** the connection with the lock scripts defined, on first use (naming keys needs no connection) */
  private scripted: (Redis & LockCommands) | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly kind: string,
    private readonly opts: LockOptions = { ttlMs: 30_000, waitMs: 45_000 },
  ) {}

  key(id: string): string {
    return `${this.prefix}:lock:${this.kind}:${id}`;
  }

  /** Runs `fn` while holding the locks of every one of `ids` (taken in sorted order, so callers never deadlock). */
  async withLocks<T>(ids: string[], fn: () => Promise<T>): Promise<T> {
    const [first, ...rest] = [...new Set(ids)].sort();
    if (first === undefined) return fn();
    return this.withLock(first, () => this.withLocks(rest, fn));
  }

  private async withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const key = this.key(id);
    const token = randomUUID();
    const scripts = (this.scripted ??= withLockCommands(this.redis));
    const deadline = Date.now() + this.opts.waitMs;
    for (let attempt = 0; (await this.redis.set(key, token, 'PX', this.opts.ttlMs, 'NX')) !== 'OK'; attempt++) {
      if (Date.now() > deadline) throw new Error(`could not lock ${this.kind} ${id} within ${this.opts.waitMs} ms`);
      await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));
    }
    const renew = setInterval(
      () => {
        scripts.extendLock(key, token, this.opts.ttlMs).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.opts.ttlMs / 3)),
    );
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      // Best effort: a lock that cannot be released lapses on its own.
      await scripts.releaseLock(key, token).catch(() => undefined);
    }
  }
}
