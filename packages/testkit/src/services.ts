import { Redis } from 'ioredis';
import mongoose from 'mongoose';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MONGO_BASE = (process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/seedline').replace(
  /\/[^/?]*(\?.*)?$/,
  '',
);

export function mongoUrlFor(db: string): string {
  return `${MONGO_BASE}/${db}`;
}

export async function dropDatabase(url: string): Promise<void> {
  const conn = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}

/** Deletes every Redis key under a queue prefix (SCAN, never KEYS). */
export async function deleteKeys(prefix: string, url = REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
