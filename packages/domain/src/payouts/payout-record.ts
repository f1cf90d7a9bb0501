import { z } from 'zod';

/**
 * What the payouts processor keeps on a reimbursement (`payout`): the attempt in flight or last made, written
 * by the compare-and-set that moves the reimbursement to `sending` (the intent, before anything is sent), then
 * what the provider said of it. A new attempt starts only once `final` is true, so two attempts never both pay.
 */
export const payoutRecord = z.object({
  attempt: z.number().int().min(1),
  /** the provider's idempotency key of this attempt (PayPal's `sender_batch_id`) */
  key: z.string().min(1).max(256),
  provider: z.literal('paypal'),
  /** the provider said this attempt is over (paid, or failed with no money sent) */
  final: z.boolean().default(false),
  batchId: z.string().max(64).optional(),
  itemId: z.string().max(64).optional(),
  status: z.string().max(64).optional(),
  startedAt: z.coerce.date().optional(),
  checkedAt: z.coerce.date().optional(),
});
export type PayoutRecord = z.infer<typeof payoutRecord>;

/** The attempt a reimbursement approved (again) is sent as: the last one while it is not over, else the next. */
export function nextAttempt(last: PayoutRecord | null): { attempt: number; fresh: boolean } {
  if (!last) return { attempt: 1, fresh: true };
  return last.final ? { attempt: last.attempt + 1, fresh: true } : { attempt: last.attempt, fresh: false };
}
