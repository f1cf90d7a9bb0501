import { z } from 'zod';

// Bounded before the pattern, and the pattern is a fixed shape: no backtracking on what an influencer sends.
export const amazonOrderId = z
  .string()
  .max(19)
  .regex(/^[0-9]{3}-[0-9]{7}-[0-9]{7}$/, 'must be an Amazon order number such as 112-1234567-1234567');
export const payoutEmail = z.email('must be an email address (your PayPal account)').max(254);
export const amountPaidText = z
  .string()
  .max(24)
  .describe('what the influencer paid, as a decimal string in the campaign currency, e.g. "24.99"');

/** Proof of purchase as queued for the worker: the amount in minor units, the payout address sealed. */
export const proofJob = z.object({
  orderId: amazonOrderId,
  amountPaid: z.number().int().min(0),
  currency: z.string().length(3),
  /** sealed with DATA_KEY by ingest: Redis never holds the address in clear */
  payoutEmail: z.string().min(1).max(1024),
});
export type ProofJob = z.infer<typeof proofJob>;

/** The proof fields a submission must carry together. */
export const PROOF_FIELDS = ['orderId', 'amountPaid', 'payoutEmail'] as const;
