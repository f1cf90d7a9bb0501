import { sequenceKey } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/**
 * Numbers the events and records a delivery per subscribed endpoint, then queues their first attempts: after
 * this process's earlier fan-outs of the same influencers, together with the fan-outs of other jobs of the
 * moment, once the status writes paused (fanOutBatcher).
 */
export const webhookEventsProcessor =
  (s: WorkerServices): Handler<'webhook-events'> =>
  async (job) =>
    s.webhooks.numbering.inTurn(job.events.map(sequenceKey), () => s.webhooks.fanOut.add(job.events));
