import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, freePort, REDIS_URL, uniqueName } from '@seedline/testkit';
import { BlockedHandles, blockedHandlesKey, type BlockedSource } from '../src/blocked-handles.js';
import { redisConnection } from '../src/redis.js';

/** A database stand-in: a plain map of blocked handles per brand, counting how often it is read. */
class MemorySource implements BlockedSource {
  readonly byBrand = new Map<string, Set<string>>();
  reads = 0;
  block(brandId: string, handle: string) {
    const set = this.byBrand.get(brandId) ?? new Set<string>();
    set.add(handle);
    this.byBrand.set(brandId, set);
  }
  handlesFor(brandId: string): Promise<string[]> {
    this.reads++;
    return Promise.resolve([...(this.byBrand.get(brandId) ?? [])]);
  }
  isBlocked(brandId: string, handle: string): Promise<boolean> {
    this.reads++;
    return Promise.resolve(this.byBrand.get(brandId)?.has(handle) ?? false);
  }
}

describe('BlockedHandles: a Redis set per brand over the database', () => {
  const prefix = `{${uniqueName('blocked')}}`;
  const redis = redisConnection(REDIS_URL, 'client');
  // (until connected, the client refuses commands and the database is asked: the cases below want Redis)
  beforeAll(async () => {
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterAll(async () => {
    await deleteKeys(prefix);
    redis.disconnect();
  });

  it('loads a brand once, answers from Redis, and sees handles added after', async () => {
    const db = new MemorySource();
    db.block('b1', 'ava.styles');
    const blocked = new BlockedHandles(redis, prefix, db);
    expect(await blocked.isBlocked('b1', 'ava.styles')).toBe(true);
    expect(await blocked.isBlocked('b1', 'ben')).toBe(false);
    expect(db.reads).toBe(1);
    db.block('b1', 'ben');
    await blocked.add('b1', ['ben']);
    expect(await blocked.isBlocked('b1', 'ben')).toBe(true);
    expect(await blocked.isBlocked('b2', 'ben')).toBe(false);
    expect(db.reads).toBe(2);
    expect(await redis.ttl(blockedHandlesKey(prefix, 'b1'))).toBeGreaterThan(0);
  });

  it('rebuilds a set an add created before any load, or that expired, from the database', async () => {
    const db = new MemorySource();
    const blocked = new BlockedHandles(redis, prefix, db);
    db.block('b3', 'cara');
    db.block('b3', 'dan');
    await blocked.add('b3', ['dan']);
    expect(await blocked.isBlocked('b3', 'cara')).toBe(true);
    await redis.del(blockedHandlesKey(prefix, 'b3'));
    expect(await blocked.isBlocked('b3', 'dan')).toBe(true);
  });

  it('asks the database when Redis cannot answer', async () => {
    const down = redisConnection(`redis://127.0.0.1:${await freePort()}`, 'client', { retryStrategy: () => null });
    down.on('error', () => undefined);
    const db = new MemorySource();
    db.block('b4', 'eve');
    const blocked = new BlockedHandles(down, prefix, db);
    expect(await blocked.isBlocked('b4', 'eve')).toBe(true);
    expect(await blocked.isBlocked('b4', 'fay')).toBe(false);
    await expect(blocked.add('b4', ['fay'])).rejects.toThrow();
    down.disconnect();
  });
});
