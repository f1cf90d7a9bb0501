import type { Connection } from 'mongoose';
import { ignoreExists, isDuplicateKey } from '../mongo-errors.js';

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

/** A delivery not attempted yet: the first attempt is due now, in round 0 of the schedule. */
export function newDelivery(
  d: Pick<WebhookDeliveryDoc, '_id' | 'endpointId' | 'brandId' | 'messageId' | 'type' | 'body'>,
  now: Date,
): WebhookDeliveryDoc {
  return { ...d, status: 'pending', round: 0, scheduled: 0, attempts: [], nextAttemptAt: now, createdAt: now };
}

/** A message (one event, numbered): `_id` is the `webhook-id`; its sequence is fixed when first recorded. */
interface MessageDoc {
  _id: string;
  sequence: number;
  body: string;
  createdAt: Date;
}

export function webhookDeliveryRepository(conn: Connection) {
  const deliveries = conn.collection<WebhookDeliveryDoc>('webhook_deliveries');
  const messages = conn.collection<MessageDoc>('webhook_messages');
  const sequences = conn.collection<{ _id: string; n: number }>('webhook_sequences');

  async function nextSequence(key: string): Promise<number> {
    // A plain insert of the counter, then $inc: FerretDB loses concurrent inserting upserts.
    await sequences.insertOne({ _id: key, n: 0 }).catch((e: unknown) => {
      if (!isDuplicateKey(e)) throw e;
    });
    const after = await sequences.findOneAndUpdate({ _id: key }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    if (!after) throw new Error(`sequence ${key} vanished`);
    return after.n;
  }

  return {
    /**
     * The message's body, numbered once: a repeated fan-out of the same event gets the stored body back
     * (a second fan-out racing the first may burn a number; sequences only have to increase).
     */
    async recordMessage(id: string, sequenceKey: string, render: (sequence: number) => string): Promise<string> {
      const found = await messages.findOne({ _id: id });
      if (found) return found.body;
      const sequence = await nextSequence(sequenceKey);
      const body = render(sequence);
      try {
        await messages.insertOne({ _id: id, sequence, body, createdAt: new Date() });
        return body;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const stored = await messages.findOne({ _id: id });
        if (!stored) throw e;
        return stored.body;
      }
    },
    /** Records the intents (ignoring those already recorded); returns every id, recorded now or before. */
    async recordDeliveries(docs: WebhookDeliveryDoc[]): Promise<string[]> {
      if (docs.length === 0) return [];
      try {
        await deliveries.insertMany(docs, { ordered: false });
      } catch (e) {
        const writeErrors = (e as { writeErrors?: unknown[] }).writeErrors;
        if (!writeErrors?.length || !writeErrors.every((w) => isDuplicateKey(w))) throw e;
      }
      const stored = await deliveries
        .find({ _id: { $in: docs.map((d) => d._id) } }, { projection: { _id: 1 } })
        .toArray();
      if (stored.length !== docs.length) throw new Error('some webhook deliveries were not recorded');
      return stored.map((d) => d._id);
    },
    findById(id: string): Promise<WebhookDeliveryDoc | null> {
      return deliveries.findOne({ _id: id });
    },
    find(brandId: string, endpointId: string, id: string): Promise<WebhookDeliveryDoc | null> {
      return deliveries.findOne({ _id: id, brandId, endpointId });
    },
    /**
     * Records an attempt made at `from` attempts into the round (compare-and-set on both: a duplicate job or a
     * stale round records nothing).
     */
    async recordAttempt(
      id: string,
      round: number,
      from: number,
      attempt: DeliveryAttempt,
      next: { status: DeliveryStatus; nextAttemptAt: Date | null },
    ): Promise<boolean> {
      const res = await deliveries.updateOne(
        { _id: id, status: 'pending', round, scheduled: from },
        {
          // No `$slice` (FerretDB ignores it): the list is bounded by the schedule and the brand's manual retries.
          $push: { attempts: attempt },
          $set: { scheduled: from + 1, status: next.status, nextAttemptAt: next.nextAttemptAt },
        },
      );
      return res.modifiedCount === 1;
    },
    /** Closes a pending delivery without an attempt (endpoint gone or disabled). */
    async close(id: string, error: string): Promise<void> {
      await deliveries.updateOne({ _id: id, status: 'pending' }, {
        $push: { attempts: { at: new Date(), status: null, durationMs: 0, response: '', error } },
        $set: { status: 'failed', nextAttemptAt: null },
      } as never);
    },
    /** A finished delivery starts its schedule again in a new round; returns the round, or null if pending. */
    async restart(id: string): Promise<number | null> {
      const after = await deliveries.findOneAndUpdate(
        { _id: id, status: { $ne: 'pending' } },
        { $set: { status: 'pending', scheduled: 0, nextAttemptAt: new Date() }, $inc: { round: 1 } },
        { returnDocument: 'after' },
      );
      return after ? after.round : null;
    },
    failedSince(endpointId: string, since: Date, limit: number): Promise<WebhookDeliveryDoc[]> {
      return deliveries
        .find({ endpointId, status: 'failed', createdAt: { $gte: since } }, { projection: { body: 0 } })
        .limit(limit)
        .toArray();
    },
    /** Newest first, keyset-paged on (createdAt, _id). */
    async page(
      brandId: string,
      endpointId: string,
      q: { status?: DeliveryStatus; after?: { at: Date; id: string }; limit: number },
    ): Promise<WebhookDeliveryDoc[]> {
      const filter: Record<string, unknown> = { brandId, endpointId };
      if (q.status) filter.status = q.status;
      if (q.after)
        filter.$or = [{ createdAt: { $lt: q.after.at } }, { createdAt: q.after.at, _id: { $lt: q.after.id } }];
      return deliveries
        .find(filter as never, { projection: { body: 0 } })
        .sort({ createdAt: -1, _id: -1 })
        .limit(q.limit)
        .toArray();
    },
    async ensureIndexes(): Promise<void> {
      for (const name of ['webhook_deliveries', 'webhook_messages', 'webhook_sequences'])
        await conn.createCollection(name).catch(ignoreExists);
      await deliveries.createIndex({ endpointId: 1, createdAt: -1 });
      await deliveries.createIndex({ endpointId: 1, status: 1, createdAt: -1 });
    },
  };
}
export type WebhookDeliveryRepository = ReturnType<typeof webhookDeliveryRepository>;
