import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// All-or-nothing: a caller holds every key it asked for or none, so two callers can never deadlock.
const ACQUIRE_ALL = `
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return 1`;
// Whatever is free: returns the 1-based positions of the keys taken.
const ACQUIRE_FREE = `
local got = {}
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then got[#got + 1] = i end
end
return got`;
const EXTEND = `
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
return 1`;
// Returns the 1-based positions of the keys that were no longer ours: their lock had lapsed.
const RELEASE = `
local lost = {}
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) else lost[#lost + 1] = i end
end
return lost`;

export interface LockOptions {
  /**
   * How long a lock outlives its holder. Kept short so that the work of a killed process is taken over
   * quickly; a live holder renews its locks every third of it, however long its writes take.
   */
  ttlMs: number;
  /** how long a caller waits for locks before its job fails (and is retried) */
  waitMs: number;
  /**
   * Called (outside the locks) with the ids whose lock lapsed while held, when the renewals did not reach
   * Redis in time: another holder may have written meanwhile, so what was written under them needs repair.
   */
  onLapse?: (ids: string[]) => Promise<void>;
}

const DEFAULTS: LockOptions = { ttlMs: 30_000, waitMs: 45_000 };

/**
 * Named locks in Redis, shared by every worker process. Keys share the queue prefix's hash tag, so on Redis
 * Cluster the multi-key scripts stay in one slot.
 */
export class RedisLocks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly kind: string,
    private readonly opts: LockOptions = DEFAULTS,
  ) {}

  key(id: string): string {
    return `${this.prefix}:lock:${this.kind}:${id}`;
  }

  /** Runs `fn` while holding every one of `ids`, waiting until all are free at once. */
  async withLocks<T>(ids: string[], fn: () => Promise<T>): Promise<T> {
    const keys = [...new Set(ids)].sort().map((id) => this.key(id));
    if (keys.length === 0) return fn();
    const token = randomUUID();
    const deadline = Date.now() + this.opts.waitMs;
    for (let attempt = 0; ; attempt++) {
      const got = (await this.redis.eval(ACQUIRE_ALL, keys.length, ...keys, token, this.opts.ttlMs)) as number;
      if (got === 1) break;
      await this.pause(attempt, deadline, keys.length);
    }
    return this.holding([...new Set(ids)].sort(), token, fn);
  }

  /**
   * Runs `fn` once per group of `ids` it could lock, until every id has been through it: whatever is free is
   * worked on at once, the rest as soon as its holder lets go. A caller never waits while holding a lock,
   * so a large batch is neither starved by small ones nor able to deadlock with another batch.
   */
  async forEachLocked(ids: string[], fn: (held: string[]) => Promise<void>): Promise<void> {
    let remaining = [...new Set(ids)].sort();
    const token = randomUUID();
    const deadline = Date.now() + this.opts.waitMs;
    for (let attempt = 0; remaining.length > 0; ) {
      const keys = remaining.map((id) => this.key(id));
      const positions = (await this.redis.eval(ACQUIRE_FREE, keys.length, ...keys, token, this.opts.ttlMs)) as number[];
      if (positions.length === 0) {
        await this.pause(attempt++, deadline, keys.length);
        continue;
      }
      attempt = 0;
      const taken = new Set(positions.map((p) => p - 1));
      const held = remaining.filter((_, i) => taken.has(i));
      remaining = remaining.filter((_, i) => !taken.has(i));
      await this.holding(held, token, () => fn(held));
    }
  }

  private async holding<T>(ids: string[], token: string, fn: () => Promise<T>): Promise<T> {
    const keys = ids.map((id) => this.key(id));
    const renew = setInterval(() => {
      this.redis.eval(EXTEND, keys.length, ...keys, token, this.opts.ttlMs).catch(() => undefined);
    }, Math.max(100, Math.floor(this.opts.ttlMs / 3)));
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      const lost = (await this.redis.eval(RELEASE, keys.length, ...keys, token).catch(() => [])) as number[];
      if (lost.length > 0 && this.opts.onLapse) await this.opts.onLapse(lost.map((p) => ids[p - 1] as string));
    }
  }

  private async pause(attempt: number, deadline: number, count: number): Promise<void> {
    if (Date.now() > deadline) throw new Error(`could not lock ${count} ${this.kind}(s) within ${this.opts.waitMs} ms`);
    await new Promise((r) => setTimeout(r, Math.min(50, 2 + attempt * 2) * (0.5 + Math.random())));
  }
}

/**
 * Serialises writes to an influencer document across every worker process. FerretDB 1.24 applies an
 * update as read-modify-write without a row lock, so concurrent updates of one document lose each other's
 * changes (seen here: 20 concurrent `$inc` on one document left 13, and concurrent compare-and-sets on one
 * document both succeed). Holding the influencer's lock while inserting its events and writing its document
 * makes `$inc`, `$min` and the status write exact on FerretDB and MongoDB alike.
 */
export class InfluencerLocks extends RedisLocks {
  constructor(redis: Redis, prefix: string, opts: LockOptions = DEFAULTS) {
    super(redis, prefix, 'influencer', opts);
  }
}
