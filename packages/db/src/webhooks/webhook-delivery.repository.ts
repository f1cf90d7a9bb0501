import type { Connection } from 'mongoose';
import { ignoreExists, insertNew } from '../mongo-errors.js';
import { webhookAttemptLog, type AttemptRecord, type AttemptRef } from './webhook-attempt-log.js';
import { webhookDeliveryListing } from './webhook-delivery-listing.js';
import { webhookNumbering, type MessageDraft } from './webhook-numbering.js';
import type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';

export type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';
export type { AttemptRecord, AttemptRef } from './webhook-attempt-log.js';
export type { MessageDraft } from './webhook-numbering.js';

/** A delivery not attempted yet: the first attempt is due now, in round 0 of the schedule. */
export function newDelivery(
  d: Pick<WebhookDeliveryDoc, '_id' | 'endpointId' | 'brandId' | 'messageId' | 'type' | 'body'>,
  now: Date,
): WebhookDeliveryDoc {
  return { ...d, status: 'pending', round: 0, scheduled: 0, attempts: [], nextAttemptAt: now, createdAt: now };
}

export function webhookDeliveryRepository(conn: Connection) {
  const deliveries = conn.collection<WebhookDeliveryDoc>('webhook_deliveries');
  const numbering = webhookNumbering(conn);
  const log = webhookAttemptLog(conn);
  const listing = webhookDeliveryListing(conn, deliveries, (docs) => log.complete(docs));
  const completeOne = async (d: WebhookDeliveryDoc | null) => (d ? ((await log.complete([d]))[0] ?? null) : null);

  return {
    /** Each message's body, numbered once, by id (webhook-numbering.ts). */
    recordMessages: (drafts: readonly MessageDraft[]) => numbering.record(drafts),
    /** Records the intents (ignoring those already recorded); returns every id, recorded now or before. */
    async recordDeliveries(docs: WebhookDeliveryDoc[]): Promise<string[]> {
      if (docs.length === 0) return [];
      await listing.list(docs);
      // insertNew accounts for every document (inserted now, or refused as stored already) or throws.
      await insertNew(deliveries, docs);
      return docs.map((d) => d._id);
    },
    async findById(id: string): Promise<WebhookDeliveryDoc | null> {
      return completeOne(await deliveries.findOne({ _id: id }));
    },
    /**
     * Deliveries about to be attempted, in one read of them and one of their attempts: as far as deciding
     * whether each attempt is due needs (their attempt lists are not complete).
     */
    async forAttempts(refs: readonly AttemptRef[]): Promise<Map<string, WebhookDeliveryDoc>> {
      const docs = await deliveries.find({ _id: { $in: [...new Set(refs.map((r) => r.deliveryId))] } }).toArray();
      return new Map((await log.forAttempts(docs, refs)).map((d) => [d._id, d]));
    },
    async find(brandId: string, endpointId: string, id: string): Promise<WebhookDeliveryDoc | null> {
      return completeOne(await deliveries.findOne({ _id: id, brandId, endpointId }));
    },
    /**
     * Records an attempt made at `from` attempts into the round; false when that step was recorded already (a
     * duplicate job).
     */
    async recordAttempt(
      id: string,
      round: number,
      from: number,
      attempt: DeliveryAttempt,
      next: { status: DeliveryStatus; nextAttemptAt: Date | null },
    ): Promise<boolean> {
      return (await log.record([{ id, round, from, attempt, next }])) === 1;
    },
    /** recordAttempt for several deliveries in one insert (each step recorded once). */
    async recordAttempts(records: readonly AttemptRecord[]): Promise<void> {
      await log.record(records);
    },
    /** Closes a pending delivery without an attempt (endpoint gone or disabled), at its next step. */
    async close(d: Pick<WebhookDeliveryDoc, '_id' | 'round' | 'scheduled'>, error: string): Promise<void> {
      await log.record([
        {
          id: d._id,
          round: d.round,
          from: d.scheduled,
          attempt: { at: new Date(), status: null, durationMs: 0, response: '', error },
          next: { status: 'failed', nextAttemptAt: null },
        },
      ]);
    },
    /**
     * A finished delivery starts its schedule again in a new round; returns the round, or null if pending (or
     * restarted meanwhile by another call: a compare-and-set on the round).
     */
    async restart(id: string): Promise<number | null> {
      const d = await completeOne(await deliveries.findOne({ _id: id }));
      if (!d || d.status === 'pending') return null;
      const res = await deliveries.updateOne(
        { _id: id, round: d.round },
        { $set: { status: 'pending', scheduled: 0, nextAttemptAt: new Date() }, $inc: { round: 1 } },
      );
      return res.modifiedCount === 1 ? d.round + 1 : null;
    },
    /** Failed deliveries listed since `since`, oldest first. */
    failedSince: listing.failedSince,
    /** Newest first, keyset-paged on (createdAt, _id). */
    page: listing.page,
    async ensureIndexes(): Promise<void> {
      for (const name of ['webhook_deliveries', 'webhook_messages', 'webhook_sequences'])
        await conn.createCollection(name).catch(ignoreExists);
      // No secondary index on the deliveries: the listing orders them, their attempts are logged apart.
      await log.ensureCollection();
      await listing.ensureIndexes();
    },
  };
}
export type WebhookDeliveryRepository = ReturnType<typeof webhookDeliveryRepository>;
