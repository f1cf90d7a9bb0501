/** The reimbursement state machine: which state may follow which, and what each means for the budget. */
export const REIMBURSEMENT_STATES = [
  'awaiting_proof',
  'pending_review',
  'approved',
  'sending',
  'paid',
  'held',
  'rejected',
  'failed',
  'returned',
] as const;
export type ReimbursementState = (typeof REIMBURSEMENT_STATES)[number];

/**
 * Allowed moves. A state may follow itself where the proof can still change (awaiting_proof, pending_review,
 * held): the move records the new proof and amount. `sending → approved` gives a payout back to the queue
 * (the provider paused, nothing sent); `paid → failed` is a payment the provider reversed later.
 */
export const TRANSITIONS: Readonly<Record<ReimbursementState, readonly ReimbursementState[]>> = {
  awaiting_proof: ['awaiting_proof', 'pending_review', 'approved', 'held', 'rejected', 'returned'],
  pending_review: ['pending_review', 'approved', 'held', 'rejected', 'returned'],
  held: ['held', 'pending_review', 'approved', 'rejected', 'returned'],
  // held: the post was removed before the payout left (an approved amount is not yet paid).
  approved: ['sending', 'paid', 'failed', 'held', 'rejected', 'returned'],
  sending: ['paid', 'failed', 'approved'],
  paid: ['returned', 'failed'],
  failed: ['approved', 'rejected', 'returned'],
  rejected: [],
  returned: [],
};

export function canTransition(from: ReimbursementState, to: ReimbursementState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States whose amount counts against the campaign's budget (paid + approved, with payouts under way). */
export const COMMITTED_STATES: readonly ReimbursementState[] = ['approved', 'sending', 'paid'];
export const isCommitted = (state: ReimbursementState): boolean => COMMITTED_STATES.includes(state);

/** States in which the proof may still be replaced by a later submission. */
export const OPEN_STATES: readonly ReimbursementState[] = ['awaiting_proof', 'pending_review', 'held'];

/** Moves the influencer is told about by email. */
export const NOTIFIED_STATES: readonly ReimbursementState[] = ['approved', 'paid', 'held', 'rejected'];

/** Why a reimbursement is held, rejected or failed, where the system (not a person) gives the reason. */
export const REIMBURSEMENT_REASONS = {
  duplicateOrder: 'duplicate_order',
  overBudget: 'over_budget',
  awaitingOrderMatch: 'order_not_in_report',
} as const;
