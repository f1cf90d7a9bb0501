import { Schema, type Connection, type Model } from 'mongoose';
import type { PricePoint, ReimbursementSettings, StoredReminderSettings } from '@seedline/domain';

export type CampaignState = 'active' | 'paused' | 'ended';

export interface CampaignDoc {
  _id: string;
  brandId: string;
  name: string;
  productUrl: string;
  reviewUrl: string;
  amazonAttributionUrl: string | null;
  requirements: { hashtags: string[]; mentions: string[] };
  /** policies per stage, and (when set) channels, templates and Reply-To: read through `reminderSettings` */
  reminders: StoredReminderSettings;
  state: CampaignState;
  /** money terms (minor units); absent or null: the campaign reimburses nothing */
  reimbursement?: ReimbursementSettings | null;
  /** every price set, oldest first (the owed price is the one in force at the first purchase click) */
  priceHistory?: PricePoint[];
  createdAt: Date;
  updatedAt: Date;
}

const policy = {
  firstAfterSeconds: { type: Number, required: true },
  everySeconds: { type: Number, required: true },
  max: { type: Number, required: true },
};

const campaignSchema = new Schema<CampaignDoc>(
  {
    _id: { type: String, required: true },
    brandId: { type: String, required: true },
    name: { type: String, required: true },
    productUrl: { type: String, required: true },
    reviewUrl: { type: String, required: true },
    amazonAttributionUrl: { type: String, default: null },
    requirements: { hashtags: [String], mentions: [String] },
    reminders: {
      purchase: policy,
      review: policy,
      channels: { type: [String], default: undefined },
      templates: { type: Schema.Types.Mixed, default: undefined },
      replyTo: { type: String, default: undefined },
    },
    state: { type: String, required: true, enum: ['active', 'paused', 'ended'] },
    reimbursement: { type: Schema.Types.Mixed, default: undefined },
    priceHistory: { type: Schema.Types.Mixed, default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'campaigns' },
);
campaignSchema.index({ brandId: 1, createdAt: 1 });

export function campaignModel(conn: Connection): Model<CampaignDoc> {
  return conn.models.Campaign ?? conn.model<CampaignDoc>('Campaign', campaignSchema);
}
