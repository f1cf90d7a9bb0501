import {
  owedAmount,
  priceAt,
  REIMBURSEMENT_REASONS,
  type PricePoint,
  type ReimbursementSettings,
  type ReimbursementState,
} from '@seedline/domain';
import type { EntryDoc } from './entry.schema.js';
import type { proofs } from './proof.js';
import type { BreakdownDoc, ReimbursementDoc } from './reimbursement.schema.js';
import type { transitions } from './transition.js';

export interface InfluencerFacts {
  done: boolean;
  /** the first human purchase click: its moment picks the price owed */
  firstPurchaseClickAt: Date | null;
}

export interface Terms {
  settings: ReimbursementSettings;
  priceHistory: readonly PricePoint[];
}

/** A decided move: where the reimbursement goes when it becomes due, and with which amount. */
interface Decision {
  to: ReimbursementState;
  reason: string | null;
  amount: number;
  breakdown: BreakdownDoc;
}

/**
 * Decides a due reimbursement: the influencer is `done` and a proof not yet decided is on it. A duplicate
 * order is held; otherwise review mode (or a required order match) waits for the brand, and automatic
 * approval goes to `approved` if the budget allows, else waits in `pending_review` with reason `over_budget`.
 */
export function evaluator(moves: ReturnType<typeof transitions>, claims: ReturnType<typeof proofs>) {
  const decide = async (doc: ReimbursementDoc, facts: InfluencerFacts, terms: Terms): Promise<Decision | null> => {
    const proof = doc.proof;
    if (!facts.done || !proof) return null;
    const at = facts.firstPurchaseClickAt ?? proof.at;
    // Decided on this proof already, unless a human purchase click earlier than the moment it was priced at
    // has been applied since (it was still queued when the proof was priced): then it is priced again.
    const decided = doc.breakdown;
    if (decided?.submissionId === proof.submissionId && !(new Date(at) < new Date(decided.priceAt))) return null;
    const price = priceAt(terms.priceHistory, new Date(at)) ?? terms.settings.price;
    const owed = owedAmount(terms.settings, price, proof.amountPaid);
    const breakdown = {
      price,
      shipping: owed.shipping,
      tax: owed.tax,
      bonus: owed.bonus,
      paid: proof.amountPaid,
      priceAt: new Date(at),
      submissionId: proof.submissionId,
    };
    const base = { amount: owed.amount, breakdown };
    if (!(await claims.claimOrder(proof.orderId, doc._id, doc.campaignId))) {
      return { ...base, to: 'held', reason: REIMBURSEMENT_REASONS.duplicateOrder };
    }
    if (terms.settings.approval === 'review') return { ...base, to: 'pending_review', reason: null };
    if (terms.settings.requireOrderMatch && doc.orderVerified?.orderId !== proof.orderId) {
      return { ...base, to: 'pending_review', reason: REIMBURSEMENT_REASONS.awaitingOrderMatch };
    }
    return { ...base, to: 'approved', reason: null };
  };

  /** Moves the reimbursement if it became due (or its proof changed); returns the entries written. */
  return async function evaluate(doc: ReimbursementDoc, facts: InfluencerFacts, terms: Terms): Promise<EntryDoc[]> {
    const decision = await decide(doc, facts, terms);
    if (!decision) return [];
    const set = { amount: decision.amount, breakdown: decision.breakdown };
    const source = 'worker';
    const from: ReimbursementState[] = ['awaiting_proof', 'pending_review', 'held'];
    const out = await moves.transition(doc._id, { from, to: decision.to, source, reason: decision.reason, set });
    if (out.ok) return [out.entry];
    if (out.code === 'over_budget') {
      const wait = await moves.transition(doc._id, {
        from,
        to: 'pending_review',
        source,
        reason: REIMBURSEMENT_REASONS.overBudget,
        set,
      });
      return wait.ok ? [wait.entry] : [];
    }
    return [];
  };
}
