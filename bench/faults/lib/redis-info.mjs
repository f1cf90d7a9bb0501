import { Redis } from 'ioredis';

/** One field of INFO, as a number. */
export async function redisInfoNumber(url, section, field) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const text = await redis.info(section);
    const m = new RegExp(`^${field}:(\\S+)`, 'm').exec(text);
    return m ? Number(m[1]) : NaN;
  } finally {
    redis.disconnect();
  }
}
