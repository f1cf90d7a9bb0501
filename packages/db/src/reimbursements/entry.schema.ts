import { Schema, type Connection, type Model } from 'mongoose';
import type { ReimbursementState } from '@seedline/domain';

/**
 * The ledger: one append-only entry per move of a reimbursement (`_id` = `<reimbursementId>-<rev>`, so a
 * move is recorded once however many times its entry is written). Balances are sums of `committedDelta`
 * (what the move added to or took from the campaign's budget commitment), checked by the recount.
 */
export interface EntryDoc {
  _id: string;
  reimbursementId: string;
  campaignId: string;
  brandId: string;
  influencerId: string;
  rev: number;
  at: Date;
  /** null for the entry that creates the reimbursement */
  from: ReimbursementState | null;
  to: ReimbursementState;
  /** the reimbursement's amount after the move (minor units), null before it is due */
  amount: number | null;
  /** +amount entering approved/sending/paid from outside them, −amount leaving them, else 0 */
  committedDelta: number;
  currency: string;
  /** who moved it: `worker`, `brand:<brandId>`, `payouts`, `recount`… */
  source: string;
  reason: string | null;
  providerRef: string | null;
  attempt: number | null;
  /** `pending` while the influencer's email about it is owed, `sent` once delivered, `failed` if refused for good */
  notice: 'pending' | 'sent' | 'failed' | null;
}

const entrySchema = new Schema<EntryDoc>(
  {
    _id: { type: String, required: true },
    reimbursementId: { type: String, required: true },
    campaignId: { type: String, required: true },
    brandId: { type: String, required: true },
    influencerId: { type: String, required: true },
    rev: { type: Number, required: true },
    at: { type: Date, required: true },
    from: { type: String, default: null },
    to: { type: String, required: true },
    amount: { type: Number, default: null },
    committedDelta: { type: Number, required: true },
    currency: { type: String, required: true },
    source: { type: String, required: true },
    reason: { type: String, default: null },
    providerRef: { type: String, default: null },
    attempt: { type: Number, default: null },
    notice: { type: String, default: null },
  },
  { versionKey: false, collection: 'reimbursement_entries' },
);
entrySchema.index({ campaignId: 1, at: 1 });
entrySchema.index({ brandId: 1, at: 1 });
entrySchema.index({ reimbursementId: 1, rev: 1 });
entrySchema.index({ notice: 1 });

export function entryModel(conn: Connection): Model<EntryDoc> {
  return conn.models.ReimbursementEntry ?? conn.model<EntryDoc>('ReimbursementEntry', entrySchema);
}
