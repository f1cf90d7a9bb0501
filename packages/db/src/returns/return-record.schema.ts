import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A return matched to a reimbursement (`_id` = the reimbursement's id: one per reimbursement, however often
 * the report is uploaded). `pending` while the payout is being sent (a payment under way cannot be called
 * back): it is applied once the payout settles, as a credit if it was paid.
 */
export interface ReturnRecordDoc {
  _id: string;
  brandId: string;
  campaignId: string;
  orderId: string;
  instagramHandle: string | null;
  /** the date Amazon reported the return on */
  returnedOn: string;
  state: 'pending' | 'applied' | 'unchanged';
  at: Date;
}

const returnSchema = new Schema<ReturnRecordDoc>(
  {
    _id: { type: String, required: true },
    brandId: { type: String, required: true },
    campaignId: { type: String, required: true },
    orderId: { type: String, required: true },
    instagramHandle: { type: String, default: null },
    returnedOn: { type: String, required: true },
    state: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'returns' },
);
returnSchema.index({ brandId: 1, state: 1 });

export function returnRecordModel(conn: Connection): Model<ReturnRecordDoc> {
  return conn.models.ReturnRecord ?? conn.model<ReturnRecordDoc>('ReturnRecord', returnSchema);
}
