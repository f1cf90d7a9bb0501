import { createStack, startFerretDb, uniqueName } from '@seedline/testkit';
import { startRedis } from '../faults/lib/services.mjs';

/** Per-IP limits high enough that one machine can play every visitor without the load being flagged as a bot. */
export const LIFTED_LIMITS = { LINK_RECORD_LIMIT: '10000000', PUBLIC_POST_LIMIT: '10000000' };

/**
 * The real apps over a Redis and a FerretDB of the bench's own, so their CPU and memory are this run's alone
 * (PostgreSQL is the machine's), with the per-IP limits lifted: one machine plays every visitor, and the
 * limits would otherwise flag the load as a bot. `stop()` removes all three, whatever failed.
 */
export async function ownStack(label, env = {}) {
  const redis = await startRedis(label);
  const ferret = await startFerretDb(label);
  const stop = async (stack) => {
    await stack?.stop().catch(() => undefined);
    await ferret.stop().catch(() => undefined);
    await redis.remove().catch(() => undefined);
  };
  try {
    const stack = await createStack(`bench-${label}`, {
      REDIS_URL: redis.url,
      MONGO_URL: `${ferret.base}/${uniqueName(label)}`,
      ...LIFTED_LIMITS,
      // Freshness probes poll influencer detail every 50 ms: once freshness passes ~1 s, 1,200 reads a minute
      // per key (the default) refused them with 429, which showed up as late or unseen probes (and crashed a run).
      BRAND_RATE_LIMIT: '1000000',
      ...env,
    });
    return { stack, redis, ferret, stop: () => stop(stack) };
  } catch (err) {
    await stop(undefined);
    throw err;
  }
}
