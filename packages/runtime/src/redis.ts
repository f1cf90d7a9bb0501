import { Redis, type RedisOptions } from 'ioredis';

/**
 * One connection per role, made at boot. Workers (blocking commands) need `maxRetriesPerRequest: null`;
 * producers on a request path fail fast instead of queueing commands while Redis is down.
 */
export type RedisRole = 'worker' | 'producer' | 'subscriber' | 'client';

export function redisConnection(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const base: RedisOptions = {
    lazyConnect: false,
    connectionName: `seedline-${role}`,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3000),
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
    subscriber: { maxRetriesPerRequest: null },
    producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: 2000 },
    client: { maxRetriesPerRequest: 2, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: 2000 },
  };
  return new Redis(url, { ...base, ...byRole[role], ...extra });
}

export async function pingRedis(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}
