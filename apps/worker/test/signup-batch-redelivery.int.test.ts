import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signupsOf, type SignupJob } from '@seedline/domain';
import { createStack, pollUntil, seedCampaign, type Stack } from '@seedline/testkit';

describe('sign-ups the ingest accepted together', () => {
  let stack: Stack;
  let redis: Redis;
  let queue: Queue;
  let events: QueueEvents;
  beforeAll(async () => {
    stack = await createStack('signup-batch');
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    queue = new Queue('signups', { connection: redis, prefix: stack.prefix });
    events = new QueueEvents('signups', { connection: redis.duplicate(), prefix: stack.prefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events?.close();
    await queue?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  it('are each applied once, and a redelivered batch changes nothing twice', async () => {
    const c = await seedCampaign(stack);
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
    const done = await queue.getCompleted();
    const carried = done.flatMap((j) => signupsOf(j.data as never));
    expect(carried.map((s: SignupJob) => s.instagramHandle).sort()).toEqual([...handles].sort());
    const before = await Promise.all(people.map(async (p) => (await c.influencer(p.influencerId)).body));

    // As if every acknowledgement had been lost: the same payloads under other job ids, and one batch
    // carrying every sign-up twice.
    const again = await Promise.all(
      done.map((j, i) => queue.add('signups', j.data, { jobId: `again-${i}-${Date.now()}` })),
    );
    await Promise.all(again.map((j) => j.waitUntilFinished(events, 20_000)));
    const twice = await queue.add('signups', { signups: [...carried, ...carried] }, { jobId: `twice-${Date.now()}` });
    await twice.waitUntilFinished(events, 20_000);

    const summary = (await c.summary()).body;
    expect(summary.total).toBe(handles.length);
    expect(summary.stages).toEqual(visible.stages);
    const after = await Promise.all(people.map(async (p) => (await c.influencer(p.influencerId)).body));
    expect(after).toEqual(before);
  });
});
