import { Schema, type Connection, type Model } from 'mongoose';
import type { ReminderChannelName, ReminderStage } from '@seedline/domain';

export type ReminderState = 'pending' | 'sent' | 'cancelled' | 'failed';

/** What one channel made of a reminder; a channel with a record is not tried again on a retry. */
export interface ChannelDelivery {
  state: 'sent' | 'failed';
  at: Date;
  /** the receiver's answer: the SMTP reply or the HTTP status */
  detail: string;
}

/** One document per reminder that will be (or was) sent: `_id` is `<influencerId>-<stage>-<attempt>`. */
export interface ReminderDoc {
  _id: string;
  campaignId: string;
  influencerId: string;
  stage: ReminderStage;
  attempt: number;
  dueAt: Date;
  state: ReminderState;
  outcome: string | null;
  sentAt: Date | null;
  /** failed delivery attempts so far and the last one's reason (retried with backoff) */
  failedDeliveries?: number;
  lastError?: string | null;
  /** the first failed attempt: a reminder failing for a passing reason is given up after a while */
  firstFailedAt?: Date;
  deliveries?: Partial<Record<ReminderChannelName, ChannelDelivery>>;
  createdAt: Date;
}

const reminderSchema = new Schema<ReminderDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    influencerId: { type: String, required: true },
    stage: { type: String, required: true },
    attempt: { type: Number, required: true },
    dueAt: { type: Date, required: true },
    state: { type: String, required: true },
    outcome: { type: String, default: null },
    sentAt: { type: Date, default: null },
    failedDeliveries: { type: Number, default: 0 },
    lastError: { type: String, default: null },
    firstFailedAt: { type: Date },
    deliveries: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'reminders' },
);
// The sweep asks for pending reminders (an equality FerretDB pushes down), then compares due times.
reminderSchema.index({ dueAt: 1 }, { partialFilterExpression: { state: 'pending' } });
reminderSchema.index({ influencerId: 1, state: 1 });

export function reminderModel(conn: Connection): Model<ReminderDoc> {
  return conn.models.Reminder ?? conn.model<ReminderDoc>('Reminder', reminderSchema);
}
