import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';
import { fanOut } from '../webhooks/fanout.js';

/** Numbers the events and records a delivery per subscribed endpoint, then queues their first attempts. */
export const webhookEventsProcessor =
  (s: WorkerServices): Handler<'webhook-events'> =>
  async (job) =>
    fanOut(s.repos, s.queues, job.events);
