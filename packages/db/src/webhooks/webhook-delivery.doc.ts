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
  /**
   * Exactly the bytes signed and sent on every attempt, when stored here: a ping's (it has no message) and
   * deliveries of earlier versions. The fan-out's deliveries leave it to their message (`webhook_messages`), so
   * an event's body is written once, not once per endpoint; reads for an attempt fill it in.
   */
  body?: string;
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
