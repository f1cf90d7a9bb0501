import { describe, expect, it } from 'vitest';
import { JOB_CATALOGUE, type QueueName } from '@seedline/domain';
import { pollUntil } from '@seedline/testkit';
import { useStack } from './support/harness.js';

describe('a payload that can never be valid', { timeout: 120_000 }, () => {
  const h = useStack('badpayload', {}, ['worker']);

  const cases: [QueueName, unknown, RegExp][] = [
    [
      'clicks',
      {
        events: [
          {
            eventId: 'e1',
            link: 'purchase',
            campaignId: 'a'.repeat(24),
            influencerId: 'not-an-id',
            at: new Date().toISOString(),
            human: true,
            source: 'link',
          },
        ],
      },
      /^invalid clicks payload: events\.0\.influencerId: must be a 24-character hex id$/,
    ],
    ['clicks', { events: [] }, /^invalid clicks payload: events: /],
    [
      'signups',
      {
        eventId: 's1',
        campaignId: 'a'.repeat(24),
        influencerId: 'b'.repeat(24),
        instagramHandle: 'Not A Handle',
        at: new Date().toISOString(),
      },
      /^invalid signups payload: instagramHandle: /,
    ],
    [
      'submissions',
      {
        eventId: 'p1',
        campaignId: 'a'.repeat(24),
        influencerId: 'b'.repeat(24),
        postUrl: 'https://www.instagram.com/p/x/',
        at: 'yesterday',
      },
      /^invalid submissions payload: at: /,
    ],
    ['reminders', {}, /^invalid reminders payload: reminderId: /],
    [
      'unsubscribes',
      {
        eventId: 'u1',
        campaignId: 'a'.repeat(24),
        influencerId: 'b'.repeat(24),
        at: new Date().toISOString(),
        via: 'email',
      },
      /^invalid unsubscribes payload: via: /,
    ],
  ];

  it('fails at once with the field named, without retries, and the worker carries on', async () => {
    const jobs = await Promise.all(
      cases.map(([queue, data], i) =>
        h.queues.queue(queue).add(queue, data, { ...JOB_CATALOGUE[queue].options, jobId: `bad-${i}` }),
      ),
    );
    // A valid job behind them is still processed.
    const good = await h.queues.queue('signups').add(
      'signups',
      {
        eventId: 'ok',
        campaignId: 'a'.repeat(24),
        influencerId: 'c'.repeat(24),
        instagramHandle: 'fine',
        at: new Date().toISOString(),
      },
      JOB_CATALOGUE.signups.options,
    );
    for (const [i, job] of jobs.entries()) {
      const [queue, , reason] = cases[i] as [QueueName, unknown, RegExp];
      // The state first, then the job: a job read before its state turned would lack its failure.
      const failed = await pollUntil(
        async () => {
          if ((await h.queues.queue(queue).getJobState(job.id as string)) !== 'failed') return undefined;
          return h.queues.queue(queue).getJob(job.id as string);
        },
        { what: `${queue} job ${job.id} to fail` },
      );
      expect(failed.failedReason).toMatch(reason);
      expect(failed.attemptsMade).toBe(1);
      expect(JOB_CATALOGUE[queue].options.attempts).toBeGreaterThan(1);
    }
    await pollUntil(async () => (await good.getState()) === 'completed', { what: 'the valid job' });
    expect(h.stack.apps.worker?.logs()).toContain('job failed for good');
  });
});
