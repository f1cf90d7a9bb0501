import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/** One attempt of one brand-webhook delivery. */
export const webhookDeliveryProcessor =
  (s: WorkerServices): Handler<'webhook-deliveries'> =>
  async (job) => {
    await s.statusFirst();
    return s.webhooks.deliverer.attempt(job);
  };
