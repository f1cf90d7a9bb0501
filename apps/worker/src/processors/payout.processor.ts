import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/**
 * The `payouts` queue. Until a payout provider is wired in (PayPal: the payouts work), every brand pays by
 * the manual provider: an approved reimbursement waits for the brand's finance team (payouts.csv, then
 * `POST …/reimbursements/:rid/paid`), so this job only reports where the reimbursement stands.
 */
export const payoutProcessor =
  (s: WorkerServices): Handler<'payouts'> =>
  async (job) => {
    const doc = await s.repos.reimbursements.findById(job.reimbursementId);
    return { state: doc?.state ?? 'missing', provider: 'manual' };
  };
