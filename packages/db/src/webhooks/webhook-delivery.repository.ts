import type { Connection } from 'mongoose';
import { duplicateIndexes, ignoreExists, isDuplicateKey } from '../mongo-errors.js';
import { webhookDeliveryListing } from './webhook-delivery-listing.js';
import type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';

export type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';

/** A delivery not attempted yet: the first attempt is due now, in round 0 of the schedule. */
export function newDelivery(
  d: Pick<WebhookDeliveryDoc, '_id' | 'endpointId' | 'brandId' | 'messageId' | 'type' | 'body'>,
  now: Date,
): WebhookDeliveryDoc {
  return { ...d, status: 'pending', round: 0, scheduled: 0, attempts: [], nextAttemptAt: now, createdAt: now };
}

/** One attempt to record: made `from` attempts into `round`, and what follows it. */
export interface AttemptRecord {
  id: string;
  round: number;
  from: number;
  attempt: DeliveryAttempt;
  next: { status: DeliveryStatus; nextAttemptAt: Date | null };
}

/**
 * An attempt's compare-and-set on the delivery's round and step (a duplicate job or a stale round records
 * nothing). No `$slice` (FerretDB ignores it): the list is bounded by the schedule and the brand's retries.
 */
function attemptUpdate(r: AttemptRecord) {
  return [
    { _id: r.id, status: 'pending' as const, round: r.round, scheduled: r.from },
    {
      $push: { attempts: r.attempt },
      $set: { scheduled: r.from + 1, status: r.next.status, nextAttemptAt: r.next.nextAttemptAt },
    },
  ] as const;
}

/** A message to record: its id, the key it is numbered under, and its body once it has a number. */
export interface MessageDraft {
  id: string;
  sequenceKey: string;
  render: (sequence: number) => string;
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
  const listing = webhookDeliveryListing(conn, deliveries);

  /** Inserts what is not stored yet; returns the indexes of `docs` that were stored already. */
  async function insertNew<T>(
    col: { insertMany(docs: T[], opts: { ordered: boolean }): Promise<unknown> },
    docs: T[],
  ): Promise<Set<number>> {
    try {
      await col.insertMany(docs, { ordered: false });
      return new Set();
    } catch (e) {
      const stored = duplicateIndexes(e, docs.length);
      if (!stored) throw e;
      return stored;
    }
  }

  return {
    /**
     * Each message's body, numbered once, by id: a repeated fan-out of the same event gets the stored body back
     * (a second fan-out racing the first may burn a number; sequences only have to increase). Numbers are taken
     * per key, as many at once as the key has new messages here, in the order given: a fan-out of many events
     * costs a few reads and writes, not four per event.
     */
    async recordMessages(drafts: readonly MessageDraft[]): Promise<Map<string, string>> {
      const bodies = new Map<string, string>();
      if (drafts.length === 0) return bodies;
      const ids = [...new Set(drafts.map((d) => d.id))];
      for (const m of await messages.find({ _id: { $in: ids } }).toArray()) bodies.set(m._id, m.body);
      const byKey = new Map<string, MessageDraft[]>();
      const taken = new Set<string>();
      for (const d of drafts) {
        if (bodies.has(d.id) || taken.has(d.id)) continue;
        taken.add(d.id);
        byKey.set(d.sequenceKey, [...(byKey.get(d.sequenceKey) ?? []), d]);
      }
      if (byKey.size === 0) return bodies;
      // A plain insert of the counters, then $inc: FerretDB loses concurrent inserting upserts.
      await insertNew(
        sequences,
        [...byKey.keys()].map((k) => ({ _id: k, n: 0 })),
      );
      const now = new Date();
      const docs = (
        await Promise.all(
          [...byKey].map(async ([key, list]) => {
            const after = await sequences.findOneAndUpdate(
              { _id: key },
              { $inc: { n: list.length } },
              { returnDocument: 'after' },
            );
            if (!after) throw new Error(`sequence ${key} vanished`);
            return list.map((d, i) => {
              const sequence = after.n - list.length + 1 + i;
              return { _id: d.id, sequence, body: d.render(sequence), createdAt: now };
            });
          }),
        )
      ).flat();
      const raced = await insertNew(messages, docs);
      docs.forEach((d, i) => raced.has(i) || bodies.set(d._id, d.body));
      if (raced.size > 0) {
        const racedIds = docs.filter((_, i) => raced.has(i)).map((d) => d._id);
        for (const m of await messages.find({ _id: { $in: racedIds } }).toArray()) bodies.set(m._id, m.body);
      }
      return bodies;
    },
    /** Records the intents (ignoring those already recorded); returns every id, recorded now or before. */
    async recordDeliveries(docs: WebhookDeliveryDoc[]): Promise<string[]> {
      if (docs.length === 0) return [];
      await listing.list(docs);
      try {
        await deliveries.insertMany(docs, { ordered: false });
        // Every one inserted now: nothing to read back.
        return docs.map((d) => d._id);
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
    /** Several deliveries in one read, by id (the absent ones are missing from the map). */
    async findByIds(ids: readonly string[]): Promise<Map<string, WebhookDeliveryDoc>> {
      const docs = await deliveries.find({ _id: { $in: [...new Set(ids)] } }).toArray();
      return new Map(docs.map((d) => [d._id, d]));
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
      const res = await deliveries.updateOne(...attemptUpdate({ id, round, from, attempt, next }));
      return res.modifiedCount === 1;
    },
    /** recordAttempt for several deliveries in one bulk write (each its own compare-and-set). */
    async recordAttempts(records: readonly AttemptRecord[]): Promise<void> {
      if (records.length === 0) return;
      await deliveries.bulkWrite(
        records.map((r) => {
          const [filter, update] = attemptUpdate(r);
          return { updateOne: { filter, update } };
        }),
        { ordered: false },
      );
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
    /** Failed deliveries listed since `since`, oldest first. */
    failedSince: listing.failedSince,
    /** Newest first, keyset-paged on (createdAt, _id). */
    page: listing.page,
    async ensureIndexes(): Promise<void> {
      for (const name of ['webhook_deliveries', 'webhook_messages', 'webhook_sequences'])
        await conn.createCollection(name).catch(ignoreExists);
      // No secondary index on the deliveries (each attempt rewrites one): the listing orders them.
      await listing.ensureIndexes();
    },
  };
}
export type WebhookDeliveryRepository = ReturnType<typeof webhookDeliveryRepository>;
