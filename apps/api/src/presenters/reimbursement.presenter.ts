import type { ReimbursementDoc } from '@seedline/db';
import { formatMoney, openText, type DataKey, type ReimbursementBrief, type ReimbursementItem } from '@seedline/domain';
import type { CsvValue } from './influencer.presenter.js';

type BriefSource = Pick<ReimbursementDoc, 'state' | 'amount' | 'currency' | 'reason'>;

/** `reimbursement` on list items, the detail and the CSV: null while the influencer has none. */
export function presentReimbursementBrief(doc: BriefSource | null | undefined): ReimbursementBrief | null {
  if (!doc) return null;
  return {
    state: doc.state,
    amount: doc.amount === null ? null : formatMoney(doc.amount, doc.currency),
    currency: doc.currency,
    ...(doc.reason ? { reason: doc.reason } : {}),
  };
}

/** A reimbursement for the brand that owns its campaign (the only reader that ever sees the payout address). */
export function presentReimbursement(doc: ReimbursementDoc, dataKey: DataKey): ReimbursementItem {
  const money = (minor: number | null | undefined) =>
    minor === null || minor === undefined ? null : formatMoney(minor, doc.currency);
  return {
    id: doc._id,
    influencerId: doc.influencerId,
    instagramHandle: doc.instagramHandle,
    state: doc.state,
    amount: money(doc.amount),
    currency: doc.currency,
    reason: doc.reason,
    orderId: doc.proof?.orderId ?? null,
    amountPaid: money(doc.proof?.amountPaid),
    payoutEmail: doc.proof ? openText(doc.proof.payoutEmail, dataKey) : null,
    paymentReference: doc.paymentReference,
    updatedAt: new Date(doc.updatedAt).toISOString(),
  };
}

export const REIMBURSEMENT_CSV_COLUMNS = [
  'reimbursementState',
  'reimbursementAmount',
  'reimbursementCurrency',
  'reimbursementReason',
] as const;

export function reimbursementCsvCells(brief: ReimbursementBrief | null): CsvValue[] {
  return brief ? [brief.state, brief.amount, brief.currency, brief.reason ?? ''] : ['', '', '', ''];
}
