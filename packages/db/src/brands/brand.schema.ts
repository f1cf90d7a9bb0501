import { Schema, type Connection, type Model } from 'mongoose';

export interface BrandDoc {
  _id: string;
  name: string;
  /** SHA-256 of the API key; the key itself is shown once and never stored */
  apiKeyHash: string;
  createdAt: Date;
  /** the zone asked for last (IANA); statements follow `timezoneHistory`, where it applies from the next week */
  timezone?: string;
  timezoneHistory?: { zone: string; fromWeek: string }[];
  /** where the brand wants operational mail (read by the webhooks feature) */
  contactEmail?: string | null;
  /** `manual`: the brand pays its influencers itself, whatever the operator's provider (admin setting) */
  payoutProvider?: 'paypal' | 'manual';
  /** raised by every settings change: the compare-and-set that keeps concurrent changes from losing one */
  settingsRev?: number;
}

const brandSchema = new Schema<BrandDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    apiKeyHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
    timezone: { type: String },
    timezoneHistory: { type: [{ _id: false, zone: String, fromWeek: String }], default: undefined },
    contactEmail: { type: String },
    settingsRev: { type: Number },
    payoutProvider: { type: String },
  },
  { versionKey: false, collection: 'brands' },
);
brandSchema.index({ apiKeyHash: 1 }, { unique: true });

export function brandModel(conn: Connection): Model<BrandDoc> {
  return conn.models.Brand ?? conn.model<BrandDoc>('Brand', brandSchema);
}
