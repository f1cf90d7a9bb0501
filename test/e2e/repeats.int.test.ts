import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribeToken } from '@seedline/domain';
import { BROWSER_UA, createStack, pollUntil, request, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';

const INGEST = TEST_SECRETS.INGEST_TOKEN;
const tokenOf = (link: string) => link.split('/l/')[1] as string;

/**
 * A 202 means the request will be applied, also when it repeats an earlier one with new data: a re-sign-up
 * within the hour BullMQ keeps finished jobs, an unsubscribe whose first job failed, and tracker events of two
 * campaigns that share an event id. The worker starts only after the unsubscribe's first job has failed.
 */
describe('repeated requests with new data (ingest, worker, api)', () => {
  let stack: Stack;
  let redis: Redis;
  beforeAll(async () => {
    stack = await createStack('repeats', {}, ['api', 'ingest']);
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it('applies an unsubscribe repeated after its first job failed for good', async () => {
    const c = await seedCampaign(stack);
    const { influencerId } = await c.signup('una.repeat', { email: 'una.repeat@example.com' });
    const token = signUnsubscribeToken({ campaignId: c.campaignId, influencerId }, TEST_SECRETS.LINK_SECRET);
    const unsubscribe = () =>
      fetch(`${stack.ingestUrl}/u/${token}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    expect((await unsubscribe()).status).toBe(200);
    // The first job fails for good (a worker of the test's own gives up on it), and BullMQ keeps it for days.
    const failing = new Worker(
      'unsubscribes',
      () => Promise.reject(new UnrecoverableError('the first unsubscribe fails')),
      { connection: redis, prefix: stack.prefix },
    );
    const queue = new Queue('unsubscribes', { connection: redis, prefix: stack.prefix });
    await pollUntil(async () => (await queue.getJobCounts('failed')).failed === 1, { what: 'the failed job' });
    await failing.close();

    expect((await unsubscribe()).status).toBe(200);
    await stack.start('worker');
    const detail = await pollUntil(
      async () => {
        const body = (await c.influencer(influencerId)).body;
        return body.unsubscribedAt ? body : undefined;
      },
      { what: 'the repeated unsubscribe applied' },
    );
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'unsubscribed')).toHaveLength(1);
    expect(await queue.getJobCounts('failed')).toEqual({ failed: 1 });
    await queue.close();
  });

  it('applies a re-sign-up that changes the email and time zone within the hour', async () => {
    const c = await seedCampaign(stack);
    if (!stack.apps.worker) await stack.start('worker');
    const first = await c.signup('ada.moves', { email: 'ada.old@example.com', timezone: 'Europe/Paris' });
    await pollUntil(async () => (await c.influencer(first.influencerId)).body.email === 'ada.old@example.com', {
      what: 'the first sign-up applied',
    });
    const again = await c.signup('ada.moves', { email: 'ada.new@example.com', timezone: 'America/New_York' });
    expect(again.influencerId).toBe(first.influencerId);
    const detail = await pollUntil(
      async () => {
        const body = (await c.influencer(first.influencerId)).body;
        return body.email === 'ada.new@example.com' ? body : undefined;
      },
      { what: 'the re-sign-up applied' },
    );
    expect(detail.timezone).toBe('America/New_York');
    expect(detail.status).toBe('signed_up');
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'signup')).toHaveLength(1);
  });

  it('counts tracker events of two campaigns that use the same event id, each once', async () => {
    if (!stack.apps.worker) await stack.start('worker');
    const [a, b] = [await seedCampaign(stack), await seedCampaign(stack)];
    const ia = await a.signup('tracked.one');
    const ib = await b.signup('tracked.two');
    const feed = (events: unknown[]) =>
      request(`${stack.ingestUrl}/v1/clicks`, { method: 'POST', token: INGEST, json: { events } });
    const event = (link: string) => ({ eventId: 'evt-shared-1', token: tokenOf(link), userAgent: BROWSER_UA });
    expect((await feed([event(ia.links.purchase)])).status).toBe(202);
    expect((await feed([event(ib.links.purchase)])).status).toBe(202);
    // Re-sent by either tracker: still once each.
    expect((await feed([event(ia.links.purchase), event(ib.links.purchase)])).status).toBe(202);
    for (const [campaign, id] of [
      [a, ia.influencerId],
      [b, ib.influencerId],
    ] as const) {
      await pollUntil(
        async () => {
          const body = (await campaign.influencer(id)).body;
          return body.status === 'purchased' ? body : undefined;
        },
        { what: `the tracker click of ${id}` },
      );
    }
    // Every job done: a re-sent event is not counted again.
    const clicks = new Queue('clicks', { connection: redis, prefix: stack.prefix });
    await pollUntil(async () => (await clicks.getJobCounts('completed')).completed === 3, { what: '3 click jobs' });
    await clicks.close();
    expect((await a.influencer(ia.influencerId)).body.purchaseClicks).toBe(1);
    expect((await b.influencer(ib.influencerId)).body.purchaseClicks).toBe(1);
  });
});
