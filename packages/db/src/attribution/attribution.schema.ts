import { Schema, type Connection, type Model } from 'mongoose';
import type { ReportRow } from '@seedline/domain';

/**
 * One Amazon Attribution report row: an entity (campaign, ad group or creative, `level` + `key`) over a period
 * (`from`–`to`). `_id` is `<campaignId>|<level>|<from>|<to>|<key>`, so re-uploading the same slot replaces it;
 * rows of our own daily format keep their first id, `<campaignId>-<date>`, and documents written before
 * levels existed (no `level`, only `date`) read as campaign rows of that day.
 */
export interface AttributionDoc extends ReportRow {
  _id: string;
  campaignId: string;
  uploadedAt: Date;
  /** documents written before periods existed */
  date?: string;
}

const num = { type: Number, default: null };
const str = { type: String, default: null };

const attributionSchema = new Schema<AttributionDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    level: { type: String },
    key: { type: String },
    from: { type: String },
    to: { type: String },
    date: { type: String },
    amazonCampaignId: str,
    campaignName: str,
    adGroupId: str,
    adGroupName: str,
    creativeId: str,
    creativeName: str,
    publisher: str,
    clicks: num,
    detailPageViews: num,
    addToCarts: num,
    purchases: Number,
    unitsSold: Number,
    sales: Number,
    totalDetailPageViews: num,
    totalAddToCarts: num,
    totalPurchases: num,
    totalUnitsSold: num,
    totalSales: num,
    brbBonus: num,
    uploadedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'attribution' },
);
// Equality lookups: every row of a campaign (summary), or its creative rows (per-influencer figures).
attributionSchema.index({ campaignId: 1, level: 1, creativeId: 1 });

export function attributionModel(conn: Connection): Model<AttributionDoc> {
  return conn.models.Attribution ?? conn.model<AttributionDoc>('Attribution', attributionSchema);
}
