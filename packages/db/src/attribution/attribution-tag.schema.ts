import { Schema, type Connection, type Model } from 'mongoose';

/** An influencer's own Amazon Attribution tag: `_id` is the influencer id (one tag per influencer). */
export interface AttributionTagDoc {
  _id: string;
  campaignId: string;
  instagramHandle: string;
  url: string;
  amazonCampaignId: string;
  adGroupId: string;
  creativeId: string;
  updatedAt: Date;
}

/**
 * One per campaign with tags: `version` changes with every tag upload, so a process that caches the campaign's
 * tags (the ingest redirect) reloads them only when they changed — one lookup by id, not a scan per click.
 */
export interface AttributionTagSetDoc {
  _id: string;
  version: string;
  count: number;
}

const tagSchema = new Schema<AttributionTagDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    instagramHandle: { type: String, required: true },
    url: { type: String, required: true },
    amazonCampaignId: { type: String, required: true },
    adGroupId: { type: String, required: true },
    creativeId: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'attribution_tags' },
);
tagSchema.index({ campaignId: 1, creativeId: 1 });

const tagSetSchema = new Schema<AttributionTagSetDoc>(
  {
    _id: { type: String, required: true },
    version: { type: String, required: true },
    count: { type: Number, required: true },
  },
  { versionKey: false, collection: 'attribution_tag_sets' },
);

export function attributionTagModel(conn: Connection): Model<AttributionTagDoc> {
  return conn.models.AttributionTag ?? conn.model<AttributionTagDoc>('AttributionTag', tagSchema);
}
export function attributionTagSetModel(conn: Connection): Model<AttributionTagSetDoc> {
  return conn.models.AttributionTagSet ?? conn.model<AttributionTagSetDoc>('AttributionTagSet', tagSetSchema);
}
