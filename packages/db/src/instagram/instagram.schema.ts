import { Schema, type Connection, type Model } from 'mongoose';

/** A brand's connected Instagram professional account (`_id` = brand id). The token is sealed (DATA_KEY). */
export interface InstagramAccountDoc {
  _id: string;
  igUserId: string;
  tokenSealed: string;
  tokenExpiresAt: Date | null;
  connectedAt: Date;
  renewedAt: Date | null;
  /** why the last renewal failed, when it did (never the token) */
  renewError: string | null;
  /** raised by each token change: a renewal lands only on the token it renewed */
  tokenRev: number;
}

export type CheckState = 'pending' | 'verified' | 'rejected' | 'removed';
export type FoundVia = 'tags' | 'mentions' | 'business_discovery';

/**
 * One post to verify (state `pending`) or, once accepted, to re-check until `recheckUntil`: the durable state
 * of every Instagram look-up. `_id` is the submission id, or `ig-<media id>-<influencer id>` for a post found
 * on Instagram without a submission. Jobs only name a check: a lost job is found again by the sweep.
 */
export interface InstagramCheckDoc {
  _id: string;
  brandId: string;
  campaignId: string;
  influencerId: string;
  handle: string;
  postUrl: string;
  shortcode: string;
  typedCaption: string | null;
  submittedAt: Date;
  source: 'form' | 'instagram';
  state: CheckState;
  /** look-ups made so far (each `not found yet` is one) */
  tries: number;
  /** the next look-up (a try or a re-check); null once nothing more is due */
  nextAt: Date | null;
  verifyUntil: Date;
  recheckUntil: Date | null;
  mediaId: string | null;
  permalink: string | null;
  foundVia: FoundVia | null;
  decidedAt: Date | null;
  removedAt: Date | null;
}

/** A `mentions` webhook notification, stored on receipt (Meta keeps none), then read with `mentioned_media`. */
export interface InstagramMentionDoc {
  _id: string;
  igUserId: string;
  mediaId: string;
  receivedAt: Date;
  state: 'received' | 'read' | 'gone';
  shortcode: string | null;
  media: { id: string; username: string; caption: string; permalink: string } | null;
}

const accountSchema = new Schema<InstagramAccountDoc>(
  {
    _id: { type: String, required: true },
    igUserId: { type: String, required: true },
    tokenSealed: { type: String, required: true },
    tokenExpiresAt: { type: Date, default: null },
    connectedAt: { type: Date, required: true },
    renewedAt: { type: Date, default: null },
    renewError: { type: String, default: null },
    tokenRev: { type: Number, required: true },
  },
  { versionKey: false, collection: 'instagram_accounts' },
);
accountSchema.index({ igUserId: 1 });

const checkSchema = new Schema<InstagramCheckDoc>(
  {
    _id: { type: String, required: true },
    brandId: { type: String, required: true },
    campaignId: { type: String, required: true },
    influencerId: { type: String, required: true },
    handle: { type: String, required: true },
    postUrl: { type: String, required: true },
    shortcode: { type: String, required: true },
    typedCaption: { type: String, default: null },
    submittedAt: { type: Date, required: true },
    source: { type: String, required: true },
    state: { type: String, required: true },
    tries: { type: Number, required: true },
    nextAt: { type: Date, default: null },
    verifyUntil: { type: Date, required: true },
    recheckUntil: { type: Date, default: null },
    mediaId: { type: String, default: null },
    permalink: { type: String, default: null },
    foundVia: { type: String, default: null },
    decidedAt: { type: Date, default: null },
    removedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'instagram_checks' },
);
checkSchema.index({ state: 1, nextAt: 1 });
checkSchema.index({ campaignId: 1, state: 1 });

const mentionSchema = new Schema<InstagramMentionDoc>(
  {
    _id: { type: String, required: true },
    igUserId: { type: String, required: true },
    mediaId: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    state: { type: String, required: true },
    shortcode: { type: String, default: null },
    media: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, collection: 'instagram_mentions' },
);
mentionSchema.index({ igUserId: 1, shortcode: 1 });
mentionSchema.index({ state: 1, receivedAt: 1 });

export function instagramModels(conn: Connection): {
  Account: Model<InstagramAccountDoc>;
  Check: Model<InstagramCheckDoc>;
  Mention: Model<InstagramMentionDoc>;
} {
  return {
    Account: conn.models.InstagramAccount ?? conn.model<InstagramAccountDoc>('InstagramAccount', accountSchema),
    Check: conn.models.InstagramCheck ?? conn.model<InstagramCheckDoc>('InstagramCheck', checkSchema),
    Mention: conn.models.InstagramMention ?? conn.model<InstagramMentionDoc>('InstagramMention', mentionSchema),
  };
}
