import { Schema, type Connection, type Model } from 'mongoose';
import type { Status } from '@seedline/domain';
import type { CountKey, PendingCount } from '../counters/stage-counter.schema.js';

export interface SubmissionSnapshot {
  id: string;
  postUrl: string;
  caption: string | null;
  accepted: boolean;
  reasons: string[];
  at: Date;
  /** how Instagram vouched for the post: absent for submissions judged by the typed caption alone */
  verification?: 'verified' | 'pending' | 'removed' | null;
  /** the Instagram media the post was matched with */
  media?: { id: string; permalink: string; username: string; foundVia: string } | null;
  /** `instagram` for a post found on Instagram without a submission */
  source?: 'form' | 'instagram';
  /** when a re-check found the post gone */
  removedAt?: Date;
}

export interface InfluencerDoc {
  _id: string;
  campaignId: string;
  /** set by the sign-up; a click processed before its sign-up creates the document without it */
  instagramHandle: string | null;
  /** true once the sign-up is applied: lists and summaries count only these */
  listed: boolean;
  email: string | null;
  timezone: string | null;
  /** acceptance order of the sign-up each came from (the last accepted wins: contact.ts) */
  emailAccepted?: number;
  timezoneAccepted?: number;
  // Facts: the earliest time each was seen. Only ever lowered with $min, so redelivery cannot change them.
  // Absent (never null) until seen: BSON orders null before any date, so $min against null would stick.
  signedUpAt?: Date;
  firstPurchaseClickAt?: Date;
  acceptedAt?: Date;
  firstReviewClickAt?: Date;
  // Derived from the facts by the domain status model; only ever raised (compare-and-set on statusRank).
  status: Status;
  statusRank: number;
  purchasedAt: Date | null;
  doneAt: Date | null;
  followedUpAt: Date | null;
  /** set with the first human purchase click: counted as an estimated purchase */
  purchased: boolean;
  purchaseClicks: number;
  reviewClicks: number;
  botClicks: number;
  remindersSent: number;
  submission: SubmissionSnapshot | null;
  /** when the influencer unsubscribed from the campaign's reminders (absent, never null, until then: see above) */
  unsubscribedAt?: Date;
  /** version of the derived part, raised by every status compare-and-set (absent on older documents) */
  rev?: number;
  /** which compare-and-set wrote `rev` (tells a writer whether its own one won) */
  casBy?: string;
  /** what the influencer adds to its campaign's stage counters now; null while it is not listed */
  counted?: CountKey | null;
  /** counter moves of its compare-and-sets not yet folded into the counter slots */
  pendingCounts?: PendingCount[];
}

const influencerSchema = new Schema<InfluencerDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    instagramHandle: { type: String, default: null },
    listed: { type: Boolean, default: false },
    email: { type: String, default: null },
    timezone: { type: String, default: null },
    emailAccepted: { type: Number },
    timezoneAccepted: { type: Number },
    signedUpAt: { type: Date },
    firstPurchaseClickAt: { type: Date },
    acceptedAt: { type: Date },
    firstReviewClickAt: { type: Date },
    status: { type: String, required: true },
    statusRank: { type: Number, required: true },
    purchasedAt: { type: Date, default: null },
    doneAt: { type: Date, default: null },
    followedUpAt: { type: Date, default: null },
    purchased: { type: Boolean, default: false },
    purchaseClicks: { type: Number, default: 0 },
    reviewClicks: { type: Number, default: 0 },
    botClicks: { type: Number, default: 0 },
    remindersSent: { type: Number, default: 0 },
    submission: { type: Schema.Types.Mixed, default: null },
    unsubscribedAt: { type: Date },
    rev: { type: Number },
    casBy: { type: String },
    counted: { type: Schema.Types.Mixed },
    pendingCounts: { type: Schema.Types.Mixed },
  },
  { versionKey: false, collection: 'influencers' },
);
// In the database every write of a document re-indexes all of it (issue 24): one index serves the lists, with
// and without a status filter (without one, a query names every status, so MongoDB merges one ordered scan per
// status instead of sorting; see influencer.queries.ts), the recount and the attribution's handle look-ups.
// `listed` is left out: documents not listed (a click before its sign-up) are few, and filtered after.
influencerSchema.index({ campaignId: 1, status: 1, instagramHandle: 1 });
// Counter moves not folded yet: read with every summary, so it must find them without a scan (few at a time).
// Partial: a document enters it only while it holds a move, so the writes in between skip it.
influencerSchema.index({ 'pendingCounts.c': 1 }, { partialFilterExpression: { 'pendingCounts.c': { $exists: true } } });

export function influencerModel(conn: Connection): Model<InfluencerDoc> {
  return conn.models.Influencer ?? conn.model<InfluencerDoc>('Influencer', influencerSchema);
}
