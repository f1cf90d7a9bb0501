import { Schema, type Connection, type Model } from 'mongoose';
import type { ReimbursementState } from '@seedline/domain';
import type { EntryDoc } from './entry.schema.js';

/** Proof of purchase as the influencer gave it (the payout address sealed with DATA_KEY). */
export interface ProofDoc {
  orderId: string;
  /** minor units */
  amountPaid: number;
  /** `sealText(address, DATA_KEY)`: never stored, logged or queued in clear */
  payoutEmail: string;
  submissionId: string;
  at: Date;
}

/** An order of the brand's all-orders report matching a proof: what Amazon charged for the line. */
export interface OrderVerifiedDoc {
  orderId: string;
  asin: string;
  quantity: number;
  /** `item-price` in minor units of `currency` */
  price: number;
  currency: string;
  purchasedOn: string;
  at: Date;
}

/** How `amount` was reached (minor units), kept for the brand and for a recount. */
export interface BreakdownDoc {
  price: number;
  shipping: number;
  tax: number;
  bonus: number;
  paid: number;
  /** the moment whose price was used: the first human purchase click, or the proof */
  priceAt: Date;
  /** the proof (its submission) this amount was decided from: a later proof is decided again */
  submissionId: string;
}

/**
 * One reimbursement per influencer (`_id` is the influencer's id). Fields:
 * - `campaignId`, `brandId`, `influencerId`, `instagramHandle` (copied for lists), `currency`
 * - `state` (ReimbursementState), `reason` (why held, rejected or failed; null otherwise)
 * - `rev`: raised by every move; every write is a compare-and-set on it (transitionReimbursement)
 * - `amount` (minor units; null until the proof and the `done` status make it due), `breakdown`, `proof`
 * - `pendingEntry`: the ledger entry of the last move, written in the same compare-and-set and copied into
 *   `reimbursement_entries` right after (and by whoever finds it there first), so no move lacks its entry
 * - `paymentReference`: the manual provider's reference, or the provider's payout item id
 * - `payout`: owned by the payouts processor (attempt, batch id, provider reference, status); free-form here
 * - `createdAt`, `updatedAt`
 */
export interface ReimbursementDoc {
  _id: string;
  campaignId: string;
  brandId: string;
  influencerId: string;
  instagramHandle: string | null;
  currency: string;
  state: ReimbursementState;
  reason: string | null;
  rev: number;
  amount: number | null;
  breakdown: BreakdownDoc | null;
  proof: ProofDoc | null;
  /** the proof's order as the brand's Amazon orders report shows it, for the campaign's product (orders/) */
  orderVerified?: OrderVerifiedDoc | null;
  pendingEntry: EntryDoc | null;
  paymentReference: string | null;
  payout?: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const reimbursementSchema = new Schema<ReimbursementDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    brandId: { type: String, required: true },
    influencerId: { type: String, required: true },
    instagramHandle: { type: String, default: null },
    currency: { type: String, required: true },
    state: { type: String, required: true },
    reason: { type: String, default: null },
    rev: { type: Number, required: true },
    amount: { type: Number, default: null },
    breakdown: { type: Schema.Types.Mixed, default: null },
    proof: { type: Schema.Types.Mixed, default: null },
    orderVerified: { type: Schema.Types.Mixed },
    pendingEntry: { type: Schema.Types.Mixed, default: null },
    paymentReference: { type: String, default: null },
    payout: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'reimbursements' },
);
// Keyset pages of a campaign, with and without a state filter; the payouts sweep by state across campaigns.
reimbursementSchema.index({ campaignId: 1, _id: 1 });
reimbursementSchema.index({ campaignId: 1, state: 1, _id: 1 });
reimbursementSchema.index({ state: 1, _id: 1 });
// The notice sweep's look for moves whose ledger copy was left undone (copyUnrecorded).
reimbursementSchema.index({ updatedAt: 1 });
// Amazon returns and orders reports are matched by order number within the uploading brand (returns/, orders/).
reimbursementSchema.index({ brandId: 1, 'proof.orderId': 1 });

export function reimbursementModel(conn: Connection): Model<ReimbursementDoc> {
  return conn.models.Reimbursement ?? conn.model<ReimbursementDoc>('Reimbursement', reimbursementSchema);
}
