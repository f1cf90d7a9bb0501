import { describe, expect, it } from 'vitest';
import { pollUntil, seedCampaign } from '@seedline/testkit';
import { useStack } from './support/harness.js';
import { expectModel } from './support/results.js';
import { buildWorkload, REQUIREMENTS } from './support/workload.js';

/**
 * A worker stopped in the middle of a click backlog, without warning (SIGKILL) or politely (SIGTERM), then
 * replaced: every event ends up counted exactly once.
 */
// Real processes on a shared 2-core machine: minutes, not seconds, when others run their tests too.
describe('worker killed or stopped mid-batch', { timeout: 400_000 }, () => {
  // Job locks short enough that the killed worker's work is taken over within seconds, long enough that a
  // busy machine's pauses do not make them lapse on their own.
  const h = useStack('crash', { WORKER_LOCK_MS: '10000' }, ['api', 'worker']);

  /** Enqueues a backlog and waits until part of it (but not all) is in the database and jobs are active. */
  async function backlogInProgress(seed: number, events: number) {
    const c = await seedCampaign(h.stack, { requirements: REQUIREMENTS });
    const w = buildWorkload({ campaignId: c.campaignId, seed, influencers: 60, events, duplicateShare: 0.1 });
    await h.queues.enqueue(w.deliveries);
    await pollUntil(
      async () => {
        const stored = await h.db.eventCount(c.campaignId);
        return (
          stored > events * 0.15 && stored < events * 0.85 && (await h.queues.queue('clicks').getActiveCount()) > 0
        );
      },
      { timeoutMs: 120_000, intervalMs: 20, what: 'the backlog to be partly written with click jobs active' },
    );
    return { c, w };
  }

  it('SIGKILL during a click backlog, then a new worker: no event lost, none counted twice, stage counters exact', async () => {
    const { c, w } = await backlogInProgress(11, 3000);
    await h.stack.apps.worker?.kill();
    const replacement = await h.stack.start('worker');
    await h.queues.drained();
    expect(await h.queues.failures()).toEqual([]);
    await expectModel(c, w, h.db, h.stack.apiUrl);
    // The killed worker held jobs: the new one took them over once their locks lapsed.
    expect(replacement.logs()).toContain('job stalled; taken over');
  });

  it('SIGTERM during a click backlog finishes or returns in-flight jobs: exit 0, nothing stalled after restart', async () => {
    // Locks long enough that a loaded machine's pauses do not make jobs stall on their own.
    h.stack.env.WORKER_LOCK_MS = '30000';
    await h.stack.apps.worker?.stop();
    await h.stack.start('worker');
    const { c, w } = await backlogInProgress(12, 2000);
    const leaving = h.stack.apps.worker;
    expect(await leaving?.stop()).toBe(0);
    expect(leaving?.logs()).toContain('"msg":"stopped"');
    const replacement = await h.stack.start('worker');
    await h.queues.drained();
    expect(await h.queues.failures()).toEqual([]);
    await expectModel(c, w, h.db, h.stack.apiUrl);
    // The lines themselves, so that a failure says which job failed and why.
    const troubles = replacement
      .logs()
      .split('\n')
      .filter((l) => l.includes('stalled') || l.includes('job attempt failed'));
    expect(troubles).toEqual([]);
  });
});
