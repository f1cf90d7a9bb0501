import { z } from 'zod';

/** `payout-sweep`: looks for reimbursements to send or to follow at the provider (scheduled; no payload). */
export const payoutSweepJob = z.object({}).strict();
export type PayoutSweepJob = z.infer<typeof payoutSweepJob>;
