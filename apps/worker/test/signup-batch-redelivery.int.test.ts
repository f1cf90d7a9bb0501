import { describe, expect, it } from 'vitest';
import { signupsOf, type SignupJob } from '@seedline/domain';
import { pollUntil, seedCampaign } from '@seedline/testkit';
import { redeliveryStack } from './support/redelivery.js';

describe('sign-ups the ingest accepted together', () => {
  const t = redeliveryStack('signup-batch', 'signups');

  it('are each applied once, and a redelivered batch changes nothing twice', async () => {
    const c = await seedCampaign(t.stack);
    const handles = Array.from({ length: 12 }, (_, i) => `batched.${i}`);
    // Sent at once: what one tick of the ingest gathers goes out as one job (how many share one varies).
    const people = await Promise.all(handles.map((h) => c.signup(h)));
    const visible = await pollUntil(
      async () => {
        const r = await c.summary();
        return r.body.total === handles.length ? r.body : undefined;
      },
      { what: 'the sign-ups to be applied' },
    );
    // The summary can show the sign-ups before BullMQ has marked their job completed (the processor returns first).
    const done = await pollUntil(
      async () => {
        const jobs = await t.queue.getCompleted();
        return jobs.flatMap((j) => signupsOf(j.data as never)).length >= handles.length ? jobs : undefined;
      },
      { what: 'the sign-up jobs to be marked completed' },
    );
    const carried = done.flatMap((j) => signupsOf(j.data as never));
    expect(carried.map((s: SignupJob) => s.instagramHandle).sort()).toEqual([...handles].sort());
    const before = await Promise.all(people.map(async (p) => (await c.influencer(p.influencerId)).body));

    // As if every acknowledgement had been lost: the same payloads under other job ids, and one batch
    // carrying every sign-up twice.
    const again = await Promise.all(
      done.map((j, i) => t.queue.add('signups', j.data, { jobId: `again-${i}-${Date.now()}` })),
    );
    await Promise.all(again.map((j) => j.waitUntilFinished(t.events, 20_000)));
    const twice = await t.queue.add('signups', { signups: [...carried, ...carried] }, { jobId: `twice-${Date.now()}` });
    await twice.waitUntilFinished(t.events, 20_000);

    const summary = (await c.summary()).body;
    expect(summary.total).toBe(handles.length);
    expect(summary.stages).toEqual(visible.stages);
    const after = await Promise.all(people.map(async (p) => (await c.influencer(p.influencerId)).body));
    expect(after).toEqual(before);
  });
});
