import { sequenceKey } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';
import { fanOut } from '../webhooks/fanout.js';

/**
 * Numbers the events and records a delivery per subscribed endpoint, then queues their first attempts: after
 * the status writes paused, and after this process's earlier fan-outs of the same influencers.
 */
export const webhookEventsProcessor =
  (s: WorkerServices): Handler<'webhook-events'> =>
  async (job) =>
    s.webhooks.numbering.inTurn(job.events.map(sequenceKey), async () => {
      await s.statusFirst();
      return fanOut(s.webhooks.repos, s.queues, job.events);
    });
