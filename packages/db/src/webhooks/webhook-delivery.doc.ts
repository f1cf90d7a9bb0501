/** A delivery's document: the shape its repository and its listing (webhook-delivery-listing.ts) both read. */

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface DeliveryAttempt {
  at: Date;
  status: number | null;
  durationMs: number;
  response: string;
  error: string | null;
}

/**
 * The intent to deliver one message to one endpoint, written before any attempt: `_id` is
 * `<endpointId>-<messageId>`, so a repeated fan-out finds it instead of making a second one.
 */
export interface WebhookDeliveryDoc {
  _id: string;
  endpointId: string;
  brandId: string;
  messageId: string;
  type: string;
  /** exactly the bytes signed and sent on every attempt */
  body: string;
  status: DeliveryStatus;
  /** a manual retry or a recovery starts the schedule again, in a new round */
  round: number;
  /** attempts made of the current round's schedule */
  scheduled: number;
  /** every attempt, newest last (the schedule's length plus manual retries) */
  attempts: DeliveryAttempt[];
  nextAttemptAt: Date | null;
  createdAt: Date;
}
