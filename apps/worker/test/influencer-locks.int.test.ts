import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo } from '@seedline/db';
import { deleteKeys, dropDatabase, mongoUrlFor, REDIS_URL, uniqueName } from '@seedline/testkit';
import { InfluencerLocks } from '../src/locks/influencer-locks.js';

describe('influencer locks (real Redis, real FerretDB/MongoDB)', () => {
  const prefix = `{${uniqueName('locks')}}`;
  const url = mongoUrlFor(uniqueName('locks'));
  let redis: Redis;
  let conn: mongoose.Connection;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    conn = await connectMongo(url);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
    await deleteKeys(prefix);
    redis?.disconnect();
  });

  it('never lets two holders of the same influencer run at once', async () => {
    const locks = new InfluencerLocks(redis, prefix);
    const holders = new Map<string, number>();
    let overlaps = 0;
    let entered = 0;
    const sets = [['a', 'b'], ['b', 'c'], ['c', 'a'], ['a'], ['b', 'c', 'a'], ['d']];
    await Promise.all(
      Array.from({ length: 36 }, (_, i) => {
        const ids = sets[i % sets.length] as string[];
        return locks.withLocks(ids, async () => {
          entered++;
          for (const id of ids) {
            if ((holders.get(id) ?? 0) > 0) overlaps++;
            holders.set(id, (holders.get(id) ?? 0) + 1);
          }
          await new Promise((r) => setTimeout(r, 2));
          for (const id of ids) holders.set(id, (holders.get(id) ?? 1) - 1);
        });
      }),
    );
    expect(entered).toBe(36);
    expect(overlaps).toBe(0);
    expect(await redis.exists(`${prefix}:lock:influencer:a`)).toBe(0);
  });

  it('makes 40 concurrent read-modify-write updates of one document exact', async () => {
    const locks = new InfluencerLocks(redis, prefix);
    const coll = conn.collection<{ _id: string; n: number }>('influencers');
    await coll.insertOne({ _id: 'x', n: 0 });
    await Promise.all(Array.from({ length: 40 }, () => locks.withLocks(['x'], () => coll.updateOne({ _id: 'x' }, { $inc: { n: 1 } }))));
    expect((await coll.findOne({ _id: 'x' }))?.n).toBe(40);
  });

  it('serves waiters oldest first: a batch that takes an influencer back at once cannot starve a single writer', async () => {
    // As click batches do under a backlog: a batch lets go and the next asks again within a Redis round trip,
    // so a writer that merely polls would get in only if it happened to ask in that gap.
    const locks = new InfluencerLocks(redis, prefix, { ttlMs: 5000, waitMs: 30_000 });
    let stop = false;
    let waiting = false;
    let turnsWhileWaiting = 0;
    const batches = async () => {
      while (!stop) {
        await locks.forEachLocked(['s', 't'], async (held) => {
          if (waiting && held.includes('s')) turnsWhileWaiting++;
          await new Promise((r) => setTimeout(r, 100));
        });
      }
    };
    const loop = batches();
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 30));
        waiting = true;
        await locks.withLocks(['s'], async () => {
          waiting = false;
        });
      }
    } finally {
      stop = true;
      await loop;
    }
    // Each time, at most the batch already asking when the writer came: the writer asked first after that.
    expect(turnsWhileWaiting).toBeLessThanOrEqual(3);
  });

  it('tells the taker when the previous holder vanished without letting go, and only then', async () => {
    const takeovers: string[][] = [];
    const locks = new InfluencerLocks(redis, prefix, { ttlMs: 5000, waitMs: 5000, onTakeover: async (ids) => void takeovers.push(ids) });
    await locks.withLocks(['p', 'q'], async () => undefined);
    await locks.forEachLocked(['p', 'q'], async () => undefined);
    expect(takeovers).toEqual([]);
    // A holder that vanished: its lock lapses, its holder slot stays.
    await redis.set(locks.key('q'), 'ghost', 'PX', 200);
    await redis.set(locks.holderKey('q'), 'ghost', 'PX', 60_000);
    await locks.forEachLocked(['p', 'q'], async () => undefined);
    expect(takeovers).toEqual([['q']]);
    await locks.withLocks(['q'], async () => undefined);
    expect(takeovers).toEqual([['q']]);
  });

  it('reports a takeover again to the next taker when reporting it failed', async () => {
    let fail = true;
    const takeovers: string[][] = [];
    const locks = new InfluencerLocks(redis, prefix, {
      ttlMs: 5000,
      waitMs: 5000,
      onTakeover: async (ids) => {
        takeovers.push(ids);
        if (fail) throw new Error('queue unavailable');
      },
    });
    await redis.set(locks.key('r'), 'ghost', 'PX', 100);
    await redis.set(locks.holderKey('r'), 'ghost', 'PX', 60_000);
    let ran = false;
    await expect(locks.withLocks(['r'], async () => void (ran = true))).rejects.toThrow('queue unavailable');
    expect(ran).toBe(false);
    fail = false;
    await locks.withLocks(['r'], async () => void (ran = true));
    expect(ran).toBe(true);
    expect(takeovers).toEqual([['r'], ['r']]);
  });

  it('releases the locks when the work throws', async () => {
    const locks = new InfluencerLocks(redis, prefix);
    await expect(locks.withLocks(['z'], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await locks.withLocks(['z'], async () => 'again')).toBe('again');
  });
});
