import { Schema, type Connection, type Model } from 'mongoose';

export const EVENT_TYPES = [
  'signup',
  'purchase_click',
  'review_click',
  'bot_click',
  'submission_accepted',
  'submission_rejected',
  'submission_pending',
  'verification_retry',
  'post_removed',
  'status_change',
  'reminder_sent',
  'reminder_failed',
  'reminder_skipped',
  'unsubscribed',
  'reimbursement',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Which counter on the influencer an event adds one to; counters can be recomputed from these. */
export type Counter = 'purchaseClicks' | 'reviewClicks' | 'botClicks' | 'remindersSent';

/**
 * Every applied event, one document each: `_id` is the event id, so a redelivered event is a duplicate-key
 * error, not a second effect. It doubles as the influencer's timeline (bounded per document, unlike an
 * array on the influencer).
 */
export interface EventDoc {
  _id: string;
  campaignId: string;
  influencerId: string;
  type: EventType;
  at: Date;
  detail: string;
  source: string;
  counter: Counter | null;
  data: Record<string, unknown> | null;
}

const eventSchema = new Schema<EventDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    influencerId: { type: String, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
    detail: { type: String, required: true },
    source: { type: String, required: true },
    counter: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, collection: 'events' },
);
// One secondary index serves every query on events: the counts are equality on both fields, and the timeline
// (`{influencerId}` sorted by `{at, _id}`) scans its `influencerId` prefix and sorts, as it did with the former
// `{influencerId, at}` index, which cannot give `_id` as the tie-break on MongoDB and whose order DocumentDB does
// not use (sort push-down is off). Each index costs every inserted event an entry (issue 24): that one is gone,
// and `syncIndexes` at start drops it from a database made before (event-indexes.int.test.ts).
eventSchema.index({ influencerId: 1, counter: 1 });

export function eventModel(conn: Connection): Model<EventDoc> {
  return conn.models.Event ?? conn.model<EventDoc>('Event', eventSchema);
}
