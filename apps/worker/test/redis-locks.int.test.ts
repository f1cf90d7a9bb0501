import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@seedline/testkit';
import { RedisLocks } from '../src/locks/redis-locks.js';

// Real Redis: the lock scripts (src/locks/commands/*.lua) renew and release only the holder's own lock.
describe('RedisLocks', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `{${uniqueName('locks')}}`;
  afterAll(async () => {
    await redis.quit();
  });

  it('keeps a lock past its lifetime while held, releases it after, and serialises two holders', async () => {
    const locks = new RedisLocks(redis, prefix, 'r', { ttlMs: 300, waitMs: 5000 });
    const key = locks.key('a');
    const order: string[] = [];
    const hold = (name: string) =>
      locks.withLocks(['a'], async () => {
        order.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 700)); // over two lifetimes: only renewal keeps it
        expect(await redis.get(key)).not.toBeNull();
        order.push(`${name} out`);
      });
    await Promise.all([hold('first'), hold('second')]);
    expect(order).toEqual(['first in', 'first out', 'second in', 'second out']);
    expect(await redis.get(key)).toBeNull();
  });

  it('never releases a lock that another holder took after it lapsed', async () => {
    const locks = new RedisLocks(redis, prefix, 's', { ttlMs: 300, waitMs: 5000 });
    const key = locks.key('b');
    await locks.withLocks(['b'], async () => {
      await redis.set(key, 'someone-else', 'PX', 10_000); // as if ours lapsed and another caller took it
    });
    expect(await redis.get(key)).toBe('someone-else');
  });
});
