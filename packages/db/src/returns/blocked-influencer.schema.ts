import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An influencer handle a brand no longer takes sign-ups from (a return was matched to it). `_id` is
 * `<brandId>-<handle>`, so blocking twice is a duplicate key, never a second document.
 */
export interface BlockedInfluencerDoc {
  _id: string;
  brandId: string;
  instagramHandle: string;
  /** the reimbursement whose return blocked it, and the order number */
  reimbursementId: string;
  orderId: string;
  at: Date;
}

const blockedSchema = new Schema<BlockedInfluencerDoc>(
  {
    _id: { type: String, required: true },
    brandId: { type: String, required: true },
    instagramHandle: { type: String, required: true },
    reimbursementId: { type: String, required: true },
    orderId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'blocked_influencers' },
);
blockedSchema.index({ brandId: 1, instagramHandle: 1 });

export function blockedInfluencerModel(conn: Connection): Model<BlockedInfluencerDoc> {
  return conn.models.BlockedInfluencer ?? conn.model<BlockedInfluencerDoc>('BlockedInfluencer', blockedSchema);
}

export const blockedId = (brandId: string, handle: string): string => `${brandId}-${handle}`;
