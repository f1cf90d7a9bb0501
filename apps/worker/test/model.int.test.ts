import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pollUntil, REPO_ROOT, seedCampaign } from '@seedline/testkit';
import { useStack } from './support/harness.js';
import { expectCountersExact, expectModel, stageCounts, type Campaign } from './support/results.js';
import { buildWorkload, REQUIREMENTS, type Workload } from './support/workload.js';

/** Runs a node script of the repository as `npm run` would (without blocking this process's event loop). */
function runScript(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * 2,000 distinct events (sign-ups, purchase and review clicks from people and bots, accepted and rejected
 * submissions), a fifth of them delivered twice, all shuffled and enqueued straight into BullMQ: the worker
 * must end exactly where a pure in-memory model of the same events ends, whatever the order and repetition.
 */
// Real processes on a shared 2-core machine: minutes, not seconds, when others run their tests too.
describe('worker against the in-memory model', { timeout: 400_000 }, () => {
  // Job locks outlast a busy machine's pauses (a shared 2-core box), so jobs are not taken over needlessly.
  const h = useStack('model', { WORKER_LOCK_MS: '15000' }, ['api', 'worker']);

  async function runWorkload(seed: number): Promise<{ c: Campaign; w: Workload }> {
    const c = await seedCampaign(h.stack, { requirements: REQUIREMENTS });
    const w = buildWorkload({ campaignId: c.campaignId, seed, influencers: 150, events: 2000, duplicateShare: 0.2 });
    expect(w.uniqueEvents).toBe(2000);
    expect(w.duplicateDeliveries).toBe(400);
    // The shuffle must hold the awkward orders, or the test proves little.
    expect(w.orderings.clickBeforeSignup).toBeGreaterThan(50);
    expect(w.orderings.reviewClickBeforeAcceptance).toBeGreaterThan(20);
    expect(w.orderings.submissionBeforePurchaseClick).toBeGreaterThan(20);
    expect(new Set([...w.expected.values()].map((e) => e.status))).toEqual(
      new Set(['signed_up', 'purchased', 'done', 'followed_up']),
    );
    await h.queues.enqueue(w.deliveries);
    await h.queues.drained();
    expect(await h.queues.failures()).toEqual([]);
    return { c, w };
  }

  let first: { c: Campaign; w: Workload } | undefined;

  it('one worker: 2,000 shuffled events with 20% duplicates give exactly the model’s statuses, counts and stage counters', async () => {
    first = await runWorkload(1);
    await expectModel(first.c, first.w, h.db, h.stack.apiUrl);
  });

  it('the recount repairs counters changed by hand, as a job (logged as an error) and as `npm run recount`', async () => {
    const { c, w } = first ?? (await runWorkload(1));
    const expected = stageCounts(w.expected.values());
    const slots = h.db.conn.collection('stage_counters');
    const [slot] = await slots.find({ campaignId: c.campaignId }).toArray();
    expect(slot).toBeDefined();
    await slots.updateOne({ _id: slot?._id }, { $inc: { done: 5, signed_up: -2, estimatedPurchases: 1 } });
    expect((await c.summary()).body.stages.done).toBe((expected.done ?? 0) + 5);
    expect((await h.db.recount(c.campaignId)).drift).toEqual({ done: -5, signed_up: 2, estimatedPurchases: -1 });

    const job = await h.queues
      .queue('recount')
      .add('recount', { campaignId: c.campaignId }, { jobId: `recount-${c.campaignId}` });
    await pollUntil(async () => (await job.isCompleted()) || undefined, { what: 'the recount job' });
    await expectCountersExact(h.stack.apiUrl, c, expected, h.db);
    const logged =
      h.stack.apps.worker
        ?.logs()
        .split('\n')
        .filter((l) => l.includes('stage counters drifted')) ?? [];
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0] as string)).toMatchObject({
      level: 50,
      campaignId: c.campaignId,
      drift: { done: -5, signed_up: 2, estimatedPurchases: -1 },
    });

    // A document whose recorded count key was edited, and a counter: the script finds and repairs both.
    const doc = await h.db.conn
      .collection('influencers')
      .findOne({ campaignId: c.campaignId, status: 'done', listed: true });
    await h.db.conn
      .collection('influencers')
      .updateOne({ _id: doc?._id }, { $set: { counted: { stage: 'signed_up', purchased: false } } });
    await slots.updateOne({ _id: slot?._id }, { $inc: { followed_up: 3 } });
    const env = { ...process.env, MONGO_URL: h.stack.env.MONGO_URL };
    const checked = await runScript(['scripts/recount.mjs', '--check', '--campaign', c.campaignId], env);
    expect(checked.status, checked.stderr).toBe(1);
    expect(checked.stderr).toContain('"miscounted":1');
    const repaired = await runScript(['scripts/recount.mjs', '--campaign', c.campaignId], env);
    expect(repaired.status, repaired.stderr).toBe(0);
    expect(repaired.stderr).toContain('repaired');
    await expectCountersExact(h.stack.apiUrl, c, expected, h.db);
    // A mistyped id is an error, not an empty campaign reported "ok".
    const typo = await runScript(['scripts/recount.mjs', '--check', '--campaign', 'deadbeef'], env);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('no such campaign: deadbeef');
  });

  it('two worker processes side by side give the same result as one', async () => {
    await h.stack.addWorker();
    const before = await h.queues.processedBy('clicks');
    const { c, w } = await runWorkload(2);
    await expectModel(c, w, h.db, h.stack.apiUrl);
    // Both processes took a fair share of this workload's click jobs.
    const after = await h.queues.processedBy('clicks');
    const ran = [...after].map(([name, n]) => n - (before.get(name) ?? 0)).filter((n) => n > 100);
    expect(ran, JSON.stringify([...after])).toHaveLength(2);
  });

  it('keeps Redis bounded: events stream capped, no job logs, finished jobs trimmed', async () => {
    const redis = h.queues.redis;
    const prefix = h.stack.prefix;
    // Thousands of jobs went through: each left several stream entries, capped near the configured 2,000.
    expect(await redis.hget(`${prefix}:clicks:meta`, 'opts.maxLenEvents')).toBe('2000');
    expect(await redis.xlen(`${prefix}:clicks:events`)).toBeLessThan(3000);
    const logs: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*:logs`, 'COUNT', 10_000);
      logs.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(logs).toEqual([]);
    const kept = await h.queues.queue('clicks').getCompletedCount();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(5000);
  });

  it('keeps the sign-up and the latest 500 clicks in the timeline, and counts all of them', async () => {
    const c = await seedCampaign(h.stack);
    const w = buildWorkload({
      campaignId: c.campaignId,
      seed: 3,
      influencers: 1,
      events: 1,
      duplicateShare: 0,
      handlePrefix: 'busy',
    });
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
    await h.queues.enqueue([signup as never, { queue: 'clicks', data: { events } }]);
    await h.queues.drained();
    const detail = (await c.influencer(influencerId)).body;
    expect(detail.botClicks).toBe(600);
    expect(detail.status).toBe('signed_up');
    expect(detail.timeline).toHaveLength(501);
    expect(detail.timeline[0].type).toBe('signup');
    expect(detail.timeline.at(-1).at).toBe(new Date(base + 599_000).toISOString());
    expect(detail.timeline[1].at).toBe(new Date(base + 100_000).toISOString());
    expect(detail.timelineClicksOmitted).toBe(100);
    expect(await h.db.eventCount(c.campaignId)).toBe(601);
  });
});
