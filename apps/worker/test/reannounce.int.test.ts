import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { connectMongo, createRepositories } from '@seedline/db';
import type { ClickEvent, SubmissionJob } from '@seedline/domain';
import { liveStreamKey } from '@seedline/runtime';
import { pollUntil, seedCampaign } from '@seedline/testkit';
import { redeliveryStack } from './support/redelivery.js';

/**
 * A worker killed after its status write and before announcing the move (a multi-process walk-through lost
 * 2 to 8 status events of ~330 that way): the redelivered job moves nothing, so it rebuilds the move from its
 * entry and publishes it to the live stream where the stream lacks it, once however often it comes back.
 */
/** The campaign's live-stream entries that announce `status` for the influencer. */
async function entriesOf(redis: Redis, prefix: string, campaignId: string, influencerId: string, status: string) {
  return (await redis.xrange(liveStreamKey(prefix, campaignId), '-', '+')).filter(([, f]) => {
    const e = JSON.parse(f[1] ?? '{}') as { influencerId?: string; status?: string };
    return f[0] === 'data' && e.influencerId === influencerId && e.status === status;
  }).length;
}

describe('a redelivered click job announces a move its first run never announced', () => {
  const t = redeliveryStack('reannounce', 'clicks');

  it('publishes the lost status event once', async () => {
    const c = await seedCampaign(t.stack);
    const { influencerId } = await c.signup('lost.announce');
    await pollUntil(async () => (await c.influencer(influencerId)).status === 200 || undefined, { what: 'sign-up' });
    const click: ClickEvent = {
      eventId: `click-lost-${Date.now()}`,
      link: 'purchase',
      campaignId: c.campaignId,
      influencerId,
      at: new Date().toISOString(),
      human: true,
      source: 'link',
    };
    // The first run: the status written through the same repository the worker uses, then the process "died".
    const conn = await connectMongo(t.stack.env.MONGO_URL as string);
    const redis = new Redis(t.stack.env.REDIS_URL as string);
    try {
      const first = await createRepositories(conn).influencers.applyClicks([click]);
      expect(first.changes.map((ch) => ch.to)).toEqual(['purchased']);
      const purchasedEntries = () => entriesOf(redis, t.stack.prefix, c.campaignId, influencerId, 'purchased');
      expect(await purchasedEntries()).toBe(0);

      for (const n of [1, 2]) {
        const job = await t.queue.add('clicks', { events: [click] }, { jobId: `again-${n}-${Date.now()}` });
        await job.waitUntilFinished(t.events, 20_000);
        expect(await purchasedEntries(), `after redelivery ${n}`).toBe(1);
      }
      expect((await c.influencer(influencerId)).body.purchaseClicks).toBe(1);
    } finally {
      redis.disconnect();
      await conn.close();
    }
  }, 60_000);
});

describe('a redelivered submission announces the move to done its first run never announced', () => {
  const t = redeliveryStack('reannounce-sub', 'submissions');

  it('publishes the lost status event once', async () => {
    const c = await seedCampaign(t.stack);
    const { influencerId } = await c.signup('lost.done');
    await pollUntil(async () => (await c.influencer(influencerId)).status === 200 || undefined, { what: 'sign-up' });
    const job: SubmissionJob = {
      eventId: `sub-lost-${Date.now()}`,
      campaignId: c.campaignId,
      influencerId,
      postUrl: 'https://www.instagram.com/p/LostDone1/',
      caption: 'loving it',
      at: new Date().toISOString(),
    };
    const conn = await connectMongo(t.stack.env.MONGO_URL as string);
    const redis = new Redis(t.stack.env.REDIS_URL as string);
    try {
      const verdict = { accepted: true, reasons: [], missingHashtags: [], missingMentions: [] };
      const first = await createRepositories(conn).influencers.applySubmission(job, verdict, job.postUrl as string);
      expect(first.map((ch) => ch.to)).toEqual(['done']);
      const doneEntries = () => entriesOf(redis, t.stack.prefix, c.campaignId, influencerId, 'done');
      expect(await doneEntries()).toBe(0);
      for (const n of [1, 2]) {
        const again = await t.queue.add('submissions', job, { jobId: `again-${n}-${Date.now()}` });
        await again.waitUntilFinished(t.events, 20_000);
        expect(await doneEntries(), `after redelivery ${n}`).toBe(1);
      }
    } finally {
      redis.disconnect();
      await conn.close();
    }
  }, 60_000);
});
