import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, seedCampaign, type Stack } from '@seedline/testkit';
import { TestQueues } from './support/queues.js';
import { byHandle, Db, expectedByHandle, listAll, stageCounts, type Campaign } from './support/results.js';
import { buildWorkload, REQUIREMENTS, type Workload } from './support/workload.js';

/**
 * 2,000 distinct events (sign-ups, purchase and review clicks from people and bots, accepted and rejected
 * submissions), a fifth of them delivered twice, all shuffled and enqueued straight into BullMQ: the worker
 * must end exactly where a pure in-memory model of the same events ends, whatever the order and repetition.
 */
describe('worker against the in-memory model', () => {
  let stack: Stack;
  let queues: TestQueues;
  let db: Db;
  beforeAll(async () => {
    // Job locks outlast a busy machine's pauses (a shared 2-core box), so jobs are not taken over needlessly.
    stack = await createStack('model', { WORKER_LOCK_MS: '15000' }, ['api', 'worker']);
    queues = new TestQueues(stack);
    db = await Db.open(stack.env.MONGO_URL as string);
  });
  afterAll(async () => {
    await queues?.close();
    await db?.close();
    await stack?.stop();
  });

  async function runWorkload(seed: number): Promise<{ c: Campaign; w: Workload }> {
    const c = await seedCampaign(stack, { requirements: REQUIREMENTS });
    const w = buildWorkload({ campaignId: c.campaignId, seed, influencers: 150, events: 2000, duplicateShare: 0.2 });
    expect(w.uniqueEvents).toBe(2000);
    expect(w.duplicateDeliveries).toBe(400);
    // The shuffle must hold the awkward orders, or the test proves little.
    expect(w.orderings.clickBeforeSignup).toBeGreaterThan(50);
    expect(w.orderings.reviewClickBeforeAcceptance).toBeGreaterThan(20);
    expect(w.orderings.submissionBeforePurchaseClick).toBeGreaterThan(20);
    await queues.enqueue(w.deliveries);
    await queues.drained();
    expect(await queues.failures()).toEqual([]);
    return { c, w };
  }

  async function expectModel(c: Campaign, w: Workload): Promise<Record<string, unknown>> {
    const actual = byHandle(await listAll(c));
    const expected = expectedByHandle(w);
    expect(actual).toEqual(expected);
    expect(new Set(Object.values(expected).map((e) => e.status))).toEqual(new Set(['signed_up', 'purchased', 'done', 'followed_up']));
    const summary = (await c.summary()).body;
    expect(summary.stages).toEqual(stageCounts(Object.values(expected)));
    expect(summary.estimatedPurchases).toBe(Object.values(expected).filter((e) => e.purchasedAt).length);

    // The timeline holds every distinct click once, one status entry per status reached at most, and the
    // submission shown is the one the model picks.
    const entries = await db.events(c.campaignId);
    const ids = entries.map((e) => e._id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [influencerId, want] of w.clickEntries) {
      const mine = entries.filter((e) => e.influencerId === influencerId);
      const count = (type: string) => mine.filter((e) => e.type === type).length;
      expect({ purchase_click: count('purchase_click'), review_click: count('review_click'), bot_click: count('bot_click') }).toEqual(want);
      const status = w.expected.get(influencerId)?.status;
      const changes = mine.filter((e) => e.type === 'status_change').map((e) => (e.data as { to: string }).to);
      expect(new Set(changes).size).toBe(changes.length);
      if (status !== 'signed_up') expect(changes).toContain(status);
      expect(mine.filter((e) => e.type === 'signup')).toHaveLength(1);
    }
    const docs = await db.influencers(c.campaignId);
    const shown = Object.fromEntries(docs.filter((d) => d.submission).map((d) => [d._id, { id: d.submission?.id, accepted: d.submission?.accepted }]));
    expect(shown).toEqual(Object.fromEntries(w.shownSubmission));
    return actual;
  }

  it('one worker: 2,000 shuffled events with 20% duplicates give exactly the model’s statuses and counts', async () => {
    const { c, w } = await runWorkload(1);
    await expectModel(c, w);
  });

  it('two worker processes side by side give the same result as one', async () => {
    await stack.addWorker();
    const before = await queues.processedBy('clicks');
    const { c, w } = await runWorkload(2);
    await expectModel(c, w);
    // Both processes took a fair share of this workload's click jobs.
    const after = await queues.processedBy('clicks');
    const ran = [...after].map(([name, n]) => n - (before.get(name) ?? 0)).filter((n) => n > 100);
    expect(ran, JSON.stringify([...after])).toHaveLength(2);
  });

  it('keeps the latest 500 timeline entries of an influencer in the API, and counts all of them', async () => {
    const c = await seedCampaign(stack);
    const w = buildWorkload({ campaignId: c.campaignId, seed: 3, influencers: 1, events: 1, duplicateShare: 0, handlePrefix: 'busy' });
    const [signup] = w.deliveries;
    const influencerId = [...w.expected.keys()][0] as string;
    const base = Date.UTC(2026, 0, 6);
    const events = Array.from({ length: 600 }, (_, i) => ({
      eventId: `busy-${i}`,
      link: 'purchase' as const,
      campaignId: c.campaignId,
      influencerId,
      at: new Date(base + i * 1000).toISOString(),
      human: false,
      source: 'tracker' as const,
      userAgent: 'facebookexternalhit/1.1',
    }));
    await queues.enqueue([signup as never, { queue: 'clicks', data: { events } }]);
    await queues.drained();
    const detail = (await c.influencer(influencerId)).body;
    expect(detail.botClicks).toBe(600);
    expect(detail.status).toBe('signed_up');
    expect(detail.timeline).toHaveLength(500);
    expect(detail.timeline.at(-1).at).toBe(new Date(base + 599_000).toISOString());
    expect(detail.timeline[0].at).toBe(new Date(base + 100_000).toISOString());
    expect(await db.eventCount(c.campaignId)).toBe(601);
  });
});
