import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, createStack, pollUntil, seedCampaign, type Stack } from '@seedline/testkit';

describe('a redelivered click job changes nothing twice', () => {
  let stack: Stack;
  let redis: Redis;
  let queue: Queue;
  let events: QueueEvents;
  beforeAll(async () => {
    stack = await createStack('redeliver');
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    queue = new Queue('clicks', { connection: redis, prefix: stack.prefix });
    events = new QueueEvents('clicks', { connection: redis.duplicate(), prefix: stack.prefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events?.close();
    await queue?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('leaves counts, status and timeline as they were', async () => {
    const c = await seedCampaign(stack);
    const { influencerId, links } = await c.signup('redelivered');
    await fetch(links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    const before = await pollUntil(
      async () => {
        const r = await c.influencer(influencerId);
        return r.body.status === 'purchased' ? r.body : undefined;
      },
      { what: 'the click to be applied' },
    );

    const [original] = await queue.getCompleted();
    expect(original?.data.events).toHaveLength(1);
    // As if the first delivery's acknowledgement had been lost: the same payload under another job id
    // (the earlier id would be refused while that job is kept).
    const again = await queue.add('clicks', original!.data, { jobId: `redeliver-${Date.now()}` });
    await again.waitUntilFinished(events, 20_000);
    const twice = await queue.add(
      'clicks',
      { events: [...original!.data.events, ...original!.data.events] },
      { jobId: `redeliver2-${Date.now()}` },
    );
    await twice.waitUntilFinished(events, 20_000);

    const after = (await c.influencer(influencerId)).body;
    expect(after.purchaseClicks).toBe(1);
    expect(after.status).toBe('purchased');
    expect(after.purchasedAt).toBe(before.purchasedAt);
    expect(after.timeline).toEqual(before.timeline);
    expect((await c.summary()).body.stages).toEqual({ signed_up: 0, purchased: 1, done: 0, followed_up: 0 });
  });
});
