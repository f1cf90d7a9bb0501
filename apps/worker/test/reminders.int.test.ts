import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_UA,
  createStack,
  pollUntil,
  request,
  seedCampaign,
  submitToken,
  TEST_SECRETS,
  type Stack,
} from '@seedline/testkit';
import { expectHeldUntilNine, zoneAtThreeAm } from './support/quiet-hours.js';
import { Db, type Campaign } from './support/results.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const SWEEP_MS = 500;
const LATER = { firstAfterSeconds: 3600, everySeconds: 3600, max: 1 };
/** This file is about the webhook channel (email, the default, has its own tests). */
const WEBHOOK = ['webhook'];

/**
 * Follow-up reminders with second-scale campaign settings, delivered to a local webhook receiver by several
 * worker processes at once, across a restart of all of them.
 */
describe('follow-up reminders', { timeout: 300_000 }, () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let db: Db;
  let redis: Redis;
  let sweep: Queue;

  beforeAll(async () => {
    receiver = new WebhookReceiver(TEST_SECRETS.WEBHOOK_SECRET, (handle) => (handle.startsWith('flaky') ? 2 : 0));
    const url = await receiver.start();
    stack = await createStack(
      'reminders',
      { REMINDER_WEBHOOK_URL: url, REMINDER_SWEEP_SECONDS: String(SWEEP_MS / 1000), WORKER_LOCK_MS: '15000' },
      ['api', 'ingest'],
    );
    // Several workers starting at the same moment, each upserting the sweep's scheduler.
    await Promise.all([stack.addWorker(), stack.addWorker(), stack.addWorker()]);
    db = await Db.open(stack.env.MONGO_URL as string);
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    sweep = new Queue('reminder-sweep', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
  });
  afterAll(async () => {
    await sweep?.close();
    redis?.disconnect();
    await db?.close();
    await stack?.stop();
    await receiver?.stop();
  });

  /** Waits until the influencer has no pending reminder of the stage left and `sent` of them were delivered. */
  async function settled(influencerId: string, sent: number, stage: 'purchase' | 'review' = 'purchase') {
    return pollUntil(
      async () => {
        const docs = (await db.reminders(influencerId)).filter((r) => r.stage === stage);
        return (
          docs.length > 0 &&
          docs.every((r) => r.state !== 'pending') &&
          docs.filter((r) => r.state === 'sent').length === sent &&
          docs
        );
      },
      {
        timeoutMs: 90_000,
        intervalMs: 200,
        what: `the ${stage} reminders of ${influencerId} to settle with ${sent} sent`,
      },
    );
  }

  const ids = (influencerId: string) => receiver.accepted(influencerId).map((d) => d.id);

  it('keeps exactly one sweep scheduler, however many workers start at once', async () => {
    expect(await sweep.getJobSchedulersCount()).toBe(1);
    const [scheduler] = await sweep.getJobSchedulers();
    expect(scheduler).toMatchObject({ key: 'reminder-sweep', every: SWEEP_MS });
    // One upcoming sweep at a time, and the sweeps do run.
    const counts = await sweep.getJobCounts('delayed', 'waiting', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    await pollUntil(async () => (await sweep.getCompletedCount()) >= 3, { what: 'three sweeps to complete' });
  });

  it('reminds a stalled influencer exactly `max` times, signed, never one who moved on, never twice across a restart', async () => {
    const c = await seedCampaign(stack, {
      reminders: { purchase: { firstAfterSeconds: 6, everySeconds: 1, max: 3 }, review: LATER, channels: WEBHOOK },
    });
    const stalled = await c.signup('stalled.one', { email: 'stalled@example.com' });
    const moved = await c.signup('moved.on');
    const click = await fetch(moved.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    expect(click.status).toBe(302);
    await pollUntil(async () => (await c.influencer(moved.influencerId)).body.status === 'purchased', {
      what: 'the click to be applied',
    });

    // Restart every worker while the stalled influencer is being reminded.
    await pollUntil(() => receiver.accepted(stalled.influencerId).length >= 1, {
      timeoutMs: 60_000,
      what: 'the first reminder',
    });
    await Promise.all(stack.extraWorkers.map((w) => w.stop()));
    await Promise.all([stack.addWorker(), stack.addWorker()]);

    const reminders = await settled(stalled.influencerId, 3);
    expect(reminders.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(ids(stalled.influencerId)).toEqual([1, 2, 3].map((n) => `${stalled.influencerId}-purchase-${n}`));
    const deliveries = receiver.for(stalled.influencerId);
    expect(deliveries.every((d) => d.signed && d.status === 200)).toBe(true);
    expect(deliveries[0]?.body).toEqual({
      id: `${stalled.influencerId}-purchase-1`,
      type: 'purchase_reminder',
      attempt: 1,
      campaignId: c.campaignId,
      influencerId: stalled.influencerId,
      instagramHandle: 'stalled.one',
      email: 'stalled@example.com',
      links: stalled.links,
    });

    // The one who moved on: the reminder came due, was re-checked and dropped.
    const [dropped] = await settled(moved.influencerId, 0);
    expect(dropped).toMatchObject({ state: 'cancelled', outcome: 'not sent: influencer is purchased' });
    expect(receiver.for(moved.influencerId)).toEqual([]);

    const detail = (await c.influencer(stalled.influencerId)).body;
    expect(detail.remindersSent).toBe(3);
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'reminder_sent')).toHaveLength(3);
  });

  it('reminds `done` influencers to review, and not those who already clicked the review link', async () => {
    const c = await seedCampaign(stack, {
      requirements: { hashtags: ['ad'] },
      reminders: { purchase: LATER, review: { firstAfterSeconds: 6, everySeconds: 1, max: 2 }, channels: WEBHOOK },
    });
    const post = async (submit: string) =>
      request(`${stack.ingestUrl}/v1/submissions`, {
        method: 'POST',
        json: { token: submitToken(submit), postUrl: 'https://www.instagram.com/p/Crev123/', caption: 'my #ad' },
      });
    const done = await c.signup('done.one');
    const reviewed = await c.signup('reviewed.one');
    expect((await post(done.links.submit)).status).toBe(202);
    expect((await post(reviewed.links.submit)).status).toBe(202);
    await pollUntil(async () => (await c.influencer(reviewed.influencerId)).body.status === 'done', {
      what: 'the post to be accepted',
    });
    await fetch(reviewed.links.review, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    await pollUntil(async () => (await c.influencer(reviewed.influencerId)).body.status === 'followed_up', {
      what: 'the review click',
    });

    await settled(done.influencerId, 2, 'review');
    expect(ids(done.influencerId)).toEqual([`${done.influencerId}-review-1`, `${done.influencerId}-review-2`]);
    expect(receiver.accepted(done.influencerId).map((d) => d.body.type)).toEqual([
      'review_reminder',
      'review_reminder',
    ]);
    await settled(reviewed.influencerId, 0, 'review');
    expect(receiver.for(reviewed.influencerId)).toEqual([]);
  });

  it('retries a receiver that fails twice, delivers once it answers, and records the outcome', async () => {
    const c = await seedCampaign(stack, {
      reminders: { purchase: { firstAfterSeconds: 1, everySeconds: 3600, max: 1 }, review: LATER, channels: WEBHOOK },
    });
    const flaky = await c.signup('flaky.one');
    const [reminder] = await settled(flaky.influencerId, 1);
    expect(receiver.for(flaky.influencerId).map((d) => [d.id, d.status])).toEqual([
      [reminder?._id, 500],
      [reminder?._id, 500],
      [reminder?._id, 200],
    ]);
    expect(reminder).toMatchObject({ failedDeliveries: 2, lastError: 'webhook: answered HTTP 500' });
    const detail = (await c.influencer(flaky.influencerId)).body;
    const entry = detail.timeline.find((e: { type: string }) => e.type === 'reminder_sent');
    expect(entry?.detail).toBe('purchase reminder #1: delivered by webhook (HTTP 200) on delivery attempt 3');
    expect(detail.remindersSent).toBe(1);
  });

  it('holds a reminder due in the influencer’s night until 09:00 there', async () => {
    const timezone = zoneAtThreeAm();
    const c: Campaign = await seedCampaign(stack, {
      reminders: { purchase: { firstAfterSeconds: 1, everySeconds: 3600, max: 1 }, review: LATER, channels: WEBHOOK },
    });
    const night = await c.signup('night.owl', { timezone });
    await expectHeldUntilNine(db, night.influencerId, timezone);
    expect(receiver.for(night.influencerId)).toEqual([]);
  });
});
