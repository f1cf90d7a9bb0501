import { Schema, type Connection, type Model } from 'mongoose';

export interface BrandDoc {
  _id: string;
  name: string;
  /** SHA-256 of the API key; the key itself is shown once and never stored */
  apiKeyHash: string;
  createdAt: Date;
}

const brandSchema = new Schema<BrandDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    apiKeyHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'brands' },
);
brandSchema.index({ apiKeyHash: 1 }, { unique: true });

export function brandModel(conn: Connection): Model<BrandDoc> {
  return conn.models.Brand ?? conn.model<BrandDoc>('Brand', brandSchema);
}
