import { Worker } from 'bullmq';
import { PayoutsPausedError } from '../payouts/payout-runner.js';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/**
 * The `payouts` queue: one step of the exactly-once protocol for one reimbursement (payouts/payout-runner.ts).
 * Lack of funds at the provider hands the job back through BullMQ's rate limit: no attempt used, no failure.
 */
export const payoutProcessor =
  (s: WorkerServices): Handler<'payouts'> =>
  async (job) => {
    try {
      return await s.payouts.runner.run(job.reimbursementId);
    } catch (err) {
      if (err instanceof PayoutsPausedError) throw Worker.RateLimitError();
      throw err;
    }
  };
