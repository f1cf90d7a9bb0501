import { Schema, type Connection, type Model } from 'mongoose';
import type { AttributionRow } from '@seedline/domain';

/** One Amazon Attribution report row per campaign and date: `_id` is `<campaignId>-<date>`, so a re-upload replaces it. */
export interface AttributionDoc extends AttributionRow {
  _id: string;
  campaignId: string;
  uploadedAt: Date;
}

const attributionSchema = new Schema<AttributionDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    date: { type: String, required: true },
    clicks: Number,
    detailPageViews: Number,
    addToCarts: Number,
    purchases: Number,
    unitsSold: Number,
    sales: Number,
    uploadedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'attribution' },
);
attributionSchema.index({ campaignId: 1, date: 1 });

export function attributionModel(conn: Connection): Model<AttributionDoc> {
  return conn.models.Attribution ?? conn.model<AttributionDoc>('Attribution', attributionSchema);
}
