import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Waiters are served oldest first. A caller that cannot take a key leaves its rank (its start time and token)
// in the key's wish slot; nobody younger may take that key while the wish is fresh. Without this, a writer
// that polls can starve: a click batch lets go of its influencers and the next batch takes them back within
// one Redis round trip (seen here: a writer waited through 88–99 turns of one batch loop in the locks test).
// Ranks give one order to all waiters, so the oldest always gets every key it needs: no deadlock either.
// A waiter first in line for every key it lacks is told so and asks again within milliseconds: the key would
// otherwise lie idle until its next poll, and a hot influencer's writes would slow to the poll rate.
// Each key also has a holder slot, set when taken and cleared when let go: one still set when its lock is
// free means the holder vanished without letting go (killed, or its lock lapsed), and the taker is told.
// KEYS: the lock keys, their wish keys, their holder keys. ARGV: token, lock ttl ms, rank, wish ttl ms,
// holder ttl ms. Both scripts reply { first in line (1/0), positions taken (1-based; negative when taken over
// from a holder that vanished)... }.
const FAIR = `
local n = #KEYS / 3
local function free(i)
  if redis.call('EXISTS', KEYS[i]) == 1 then return false end
  local wish = redis.call('GET', KEYS[n + i])
  return (not wish) or wish >= ARGV[3]
end
local function take(i)
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
  if redis.call('GET', KEYS[n + i]) == ARGV[3] then redis.call('DEL', KEYS[n + i]) end
  local before = redis.call('GET', KEYS[2 * n + i])
  redis.call('SET', KEYS[2 * n + i], ARGV[1], 'PX', ARGV[5])
  if before and before ~= ARGV[1] then return -i end
  return i
end
local function wish(i)
  local current = redis.call('GET', KEYS[n + i])
  if (not current) or current >= ARGV[3] then
    redis.call('SET', KEYS[n + i], ARGV[3], 'PX', ARGV[4])
    return true
  end
  return false
end
`;
// All-or-nothing: a caller holds every key it asked for or none; while it waits it wishes for all of them,
// so younger callers cannot keep taking the ones that happen to be free.
const ACQUIRE_ALL = `${FAIR}
for i = 1, n do
  if not free(i) then
    local first = 1
    for j = 1, n do
      if not wish(j) then first = 0 end
    end
    return { first }
  end
end
local got = { 1 }
for i = 1, n do got[#got + 1] = take(i) end
return got`;
// Whatever is free: returns the 1-based positions of the keys taken, and wishes for the rest.
const ACQUIRE_FREE = `${FAIR}
local got = { 1 }
for i = 1, n do
  if free(i) then
    got[#got + 1] = take(i)
  elseif not wish(i) then
    got[1] = 0
  end
end
return got`;
const EXTEND = `
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
return 1`;
// KEYS: the lock keys, then their holder keys. ARGV: token, '1' to leave the holder slots set (so that the
// next taker is told, as if this holder had vanished). A key whose lock lapsed while held is left alone: if
// another caller took it, that caller found this holder's slot and was told.
const RELEASE = `
local n = #KEYS / 2
for i = 1, n do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
  if ARGV[2] ~= '1' and redis.call('GET', KEYS[n + i]) == ARGV[1] then redis.call('DEL', KEYS[n + i]) end
end
return 1`;

export interface LockOptions {
  /**
   * How long a lock outlives its holder. Kept short so that the work of a killed process is taken over
   * quickly; a live holder renews its locks every third of it, however long its writes take.
   */
  ttlMs: number;
  /** how long a caller waits for a lock without getting any before its job fails (and is retried) */
  waitMs: number;
  /**
   * Called (holding the locks, before the work) with the ids taken over from a holder that vanished without
   * letting go: writes it had sent may still land. If it throws, the work does not run and the takeover is
   * reported again to the next taker.
   */
  onTakeover?: (ids: string[]) => Promise<void>;
}

// A wish outlives its waiter's polls (≤ 75 ms apart) by far, and a dead waiter's wish by little.
const WISH_TTL_MS = 2000;
// A vanished holder is reported to whoever takes the key within a day; after that its writes have long landed.
const HOLDER_TTL_MS = 24 * 3600 * 1000;

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

  /** where the oldest waiter for `id` leaves its rank */
  wishKey(id: string): string {
    return `${this.key(id)}:wish`;
  }

  /** who holds `id`, kept until let go (see FAIR) */
  holderKey(id: string): string {
    return `${this.key(id)}:holder`;
  }

  /** The lock keys of `ids`, their wish keys and their holder keys, as the acquire scripts take them. */
  private acquireKeys(ids: string[]): string[] {
    return [...ids.map((id) => this.key(id)), ...ids.map((id) => this.wishKey(id)), ...ids.map((id) => this.holderKey(id))];
  }

  /** Orders waiters: older first, ties broken by token. Zero-padded, so Lua compares them as strings. */
  private rank(token: string): string {
    return `${String(Date.now()).padStart(15, '0')}:${token}`;
  }

  /** Runs `fn` while holding every one of `ids`, waiting until all are free at once. */
  async withLocks<T>(ids: string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(ids)].sort();
    if (unique.length === 0) return fn();
    const keys = this.acquireKeys(unique);
    const token = randomUUID();
    const rank = this.rank(token);
    const deadline = Date.now() + this.opts.waitMs;
    for (let attempt = 0; ; attempt++) {
      const [first, ...taken] = (await this.acquire(ACQUIRE_ALL, keys, token, rank)) as number[];
      if (taken.length > 0) return this.holding(unique, token, fn, takenOver(unique, taken));
      await this.pause(attempt, deadline, unique.length, first === 1);
    }
  }

  /**
   * Runs `fn` once per group of `ids` it could lock, until every id has been through it: whatever is free is
   * worked on at once, the rest as soon as its holder lets go. A caller never waits while holding a lock,
   * so a large batch is neither starved by small ones nor able to deadlock with another batch.
   */
  async forEachLocked(ids: string[], fn: (held: string[]) => Promise<void>): Promise<void> {
    let remaining = [...new Set(ids)].sort();
    const token = randomUUID();
    const rank = this.rank(token);
    let deadline = Date.now() + this.opts.waitMs;
    for (let attempt = 0; remaining.length > 0; ) {
      const keys = this.acquireKeys(remaining);
      const [first, ...positions] = (await this.acquire(ACQUIRE_FREE, keys, token, rank)) as number[];
      if (positions.length === 0) {
        await this.pause(attempt++, deadline, remaining.length, first === 1);
        continue;
      }
      // The wait limit is for a wait without progress: a large batch may take many rounds, each bounded.
      attempt = 0;
      deadline = Date.now() + this.opts.waitMs;
      const taken = new Set(positions.map((p) => Math.abs(p) - 1));
      const held = remaining.filter((_, i) => taken.has(i));
      const over = takenOver(remaining, positions);
      remaining = remaining.filter((_, i) => !taken.has(i));
      await this.holding(held, token, () => fn(held), over);
    }
  }

  private acquire(script: string, keys: string[], token: string, rank: string): Promise<unknown> {
    return this.redis.eval(script, keys.length, ...keys, token, this.opts.ttlMs, rank, WISH_TTL_MS, HOLDER_TTL_MS);
  }

  private async holding<T>(ids: string[], token: string, fn: () => Promise<T>, vanished: string[] = []): Promise<T> {
    const keys = ids.map((id) => this.key(id));
    const renew = setInterval(() => {
      this.redis.eval(EXTEND, keys.length, ...keys, token, this.opts.ttlMs).catch(() => undefined);
    }, Math.max(100, Math.floor(this.opts.ttlMs / 3)));
    renew.unref();
    let reported = true;
    try {
      if (vanished.length > 0 && this.opts.onTakeover) {
        reported = false;
        await this.opts.onTakeover(vanished);
        reported = true;
      }
      return await fn();
    } finally {
      clearInterval(renew);
      // Best effort: locks that cannot be released lapse on their own, and their takers are told.
      const holders = ids.map((id) => this.holderKey(id));
      await this.redis.eval(RELEASE, keys.length * 2, ...keys, ...holders, token, reported ? '0' : '1').catch(() => undefined);
    }
  }

  private async pause(attempt: number, deadline: number, count: number, firstInLine: boolean): Promise<void> {
    if (Date.now() > deadline) throw new Error(`could not lock ${count} ${this.kind}(s) within ${this.opts.waitMs} ms`);
    const ms = firstInLine ? 2 : Math.min(50, 2 + attempt * 2);
    await new Promise((r) => setTimeout(r, ms * (0.5 + Math.random())));
  }
}

/** The ids at the positions the acquire scripts marked as taken over (negative). */
function takenOver(ids: string[], positions: number[]): string[] {
  return positions.filter((p) => p < 0).map((p) => ids[-p - 1] as string);
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
