/**
 * What a PayPal payout item's `transaction_status` means for a reimbursement. SUCCESS is paid. PENDING, UNCLAIMED
 * (the recipient has no account yet: PayPal holds the money up to 30 days) and ONHOLD are still on their way:
 * the reimbursement stays `sending` and is followed. FAILED, BLOCKED, RETURNED (unclaimed money come back, not a
 * returned product), REFUNDED and REVERSED are final and mean no money reached the influencer: the attempt is
 * over and the reimbursement fails with `paypal_<status>` (lower case), so a retry may start a new attempt.
 */
export type AttemptVerdict =
  { kind: 'paid' } | { kind: 'in_flight'; status: string } | { kind: 'failed'; reason: string };

const IN_FLIGHT = new Set(['PENDING', 'UNCLAIMED', 'ONHOLD']);
const FINAL_FAILURES = new Set(['FAILED', 'BLOCKED', 'RETURNED', 'REFUNDED', 'REVERSED']);

export function verdictOfItemStatus(status: string | undefined): AttemptVerdict {
  const s = (status ?? 'PENDING').toUpperCase();
  if (s === 'SUCCESS') return { kind: 'paid' };
  if (FINAL_FAILURES.has(s)) return { kind: 'failed', reason: `paypal_${s.toLowerCase()}` };
  // An unknown status is never taken as final: the item is followed until PayPal says something we know.
  return { kind: 'in_flight', status: IN_FLIGHT.has(s) ? s : `unknown:${s.slice(0, 40)}` };
}

/** A whole batch PayPal refused (`DENIED`) made no payment: its attempt is over. */
export function verdictOfBatchStatus(batchStatus: string): AttemptVerdict | null {
  return batchStatus.toUpperCase() === 'DENIED' ? { kind: 'failed', reason: 'paypal_denied' } : null;
}

/** PayPal's idempotency key of one attempt: a resend of the attempt is a duplicate PayPal refuses. */
export function senderBatchIdOf(reimbursementId: string, attempt: number): string {
  return `${reimbursementId}-${attempt}`;
}
