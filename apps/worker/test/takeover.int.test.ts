import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo } from '@seedline/db';
import { BROWSER_UA, createStack, pollUntil, seedCampaign, type Stack } from '@seedline/testkit';
import { InfluencerLocks } from '../src/locks/influencer-locks.js';

/**
 * FerretDB finishes a killed client's writes on its own time (seen here: an update of a dead client still
 * landing 10 s after the kill). One that lands after another worker took the influencer over writes back a
 * stale read. The taker is told the holder vanished and schedules a rebuild from the events.
 */
describe('an influencer taken over from a vanished lock holder', () => {
  const LOCK_MS = 5000;
  let stack: Stack;
  let redis: Redis;
  let repairs: Queue;
  let mongo: mongoose.Connection;
  beforeAll(async () => {
    stack = await createStack('takeover', { INFLUENCER_LOCK_MS: String(LOCK_MS) });
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    repairs = new Queue('repairs', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
    mongo = await connectMongo(stack.env.MONGO_URL as string);
  });
  afterAll(async () => {
    await repairs?.close();
    redis?.disconnect();
    await mongo?.close();
    await stack?.stop();
  });

  it('is rebuilt from its events after the vanished holder’s late write lands', async () => {
    const c = await seedCampaign(stack);
    const { influencerId, links } = await c.signup('ghosted');
    const click = () => fetch(links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    const clicksShown = (n: number) =>
      pollUntil(async () => ((await c.influencer(influencerId)).body.purchaseClicks === n ? true : undefined), { what: `${n} purchase clicks` });
    await click();
    await click();
    await clicksShown(2);

    // A holder that took the influencer and vanished without letting go, as a SIGKILLed worker does.
    const locks = new InfluencerLocks(redis, stack.prefix);
    await redis.set(locks.key(influencerId), 'ghost', 'PX', 1500);
    await redis.set(locks.holderKey(influencerId), 'ghost', 'PX', 60_000);

    for (let i = 0; i < 3; i++) await click();
    await clicksShown(5);
    // Two repairs: one soon after the takeover, one late for a straggling write.
    await pollUntil(async () => (await repairs.getDelayedCount()) === 2, { what: 'repairs scheduled for the takeover' });
    // The vanished holder's write lands late: the counts it had read before the new clicks.
    await mongo.collection('influencers').updateOne({ _id: influencerId as never }, { $set: { purchaseClicks: 2 } });
    expect((await c.influencer(influencerId)).body.purchaseClicks).toBe(2);
    expect(await repairs.getDelayedCount()).toBeGreaterThanOrEqual(1); // the damage came before a repair, as in the real case

    await clicksShown(5);
    await pollUntil(async () => (await repairs.getCompletedCount()) === 2, { what: 'both repairs to complete' });
    expect(await repairs.getFailedCount()).toBe(0);
    expect(stack.apps.worker?.logs()).toContain('taken over from a vanished holder');
    expect((await c.summary()).body.stages).toEqual({ signed_up: 0, purchased: 1, done: 0, followed_up: 0 });
  });
});
