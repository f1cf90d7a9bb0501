import type { Collection, Connection } from 'mongoose';
import { duplicateIndexes, ignoreExists } from '../mongo-errors.js';
import type { DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';

/** A delivery's place in its endpoint's log: written once, beside the delivery, never updated. */
interface ListingDoc {
  /** the delivery's id */
  _id: string;
  endpointId: string;
  createdAt: Date;
}

type Keyset = { at: Date; id: string };

/** Secondary indexes of `webhook_deliveries` made by earlier versions: the listing replaced them. */
const RETIRED_INDEXES = ['endpointId_1_createdAt_-1', 'endpointId_1_status_1_createdAt_-1'];
/** Listing entries read per round while a page (or `recover`) filters deliveries by status. */
const CHUNK = 200;

/**
 * The endpoint's log order kept apart from the deliveries: `webhook_delivery_listing` holds one small document per
 * delivery, indexed on `{endpointId, createdAt}` and never updated, while the deliveries carry no secondary index:
 * on DocumentDB every write of a document adds a term to each of its indexes. Measured through FerretDB with the
 * shapes the fan-out and the deliverer wrote when attempts rewrote deliveries (one time per fan-out of 150), on a
 * loaded machine: an attempt 1.8-2.2 KB of WAL with the two indexes deliveries had, 1.2-1.4 KB with none (attempts
 * are now logged apart: webhook-attempt-log.ts). Lists read the listing newest first, the deliveries by `_id` and
 * their attempts by theirs.
 */
export function webhookDeliveryListing(
  conn: Connection,
  deliveries: Collection<WebhookDeliveryDoc>,
  /** the deliveries as read, completed with their logged attempts (webhook-attempt-log.ts) */
  complete: (docs: WebhookDeliveryDoc[]) => Promise<WebhookDeliveryDoc[]>,
) {
  const listing = conn.collection<ListingDoc>('webhook_delivery_listing');

  /** The listing entries after `from` in the given direction, `n` at most. */
  const entries = (endpointId: string, n: number, order: 1 | -1, from?: Keyset, since?: Date) => {
    const filter: Record<string, unknown> = { endpointId };
    const cmp = order === -1 ? '$lt' : '$gt';
    if (from) filter.$or = [{ createdAt: { [cmp]: from.at } }, { createdAt: from.at, _id: { [cmp]: from.id } }];
    if (since) filter.createdAt = { $gte: since };
    return listing
      .find(filter as never)
      .sort({ createdAt: order, _id: order })
      .limit(n)
      .toArray();
  };

  /** Walks the listing in chunks, keeping the deliveries `keep` accepts, until `limit` are kept or it ends. */
  async function walk(
    endpointId: string,
    order: 1 | -1,
    limit: number,
    keep: (d: WebhookDeliveryDoc) => boolean,
    from?: Keyset,
    since?: Date,
  ): Promise<WebhookDeliveryDoc[]> {
    const out: WebhookDeliveryDoc[] = [];
    let cursor = from;
    for (;;) {
      const keys = await entries(endpointId, Math.max(limit, CHUNK), order, cursor, since);
      if (keys.length === 0) return out;
      const docs = await complete(
        await deliveries.find({ _id: { $in: keys.map((k) => k._id) } }, { projection: { body: 0 } }).toArray(),
      );
      const byId = new Map(docs.map((d) => [d._id, d]));
      for (const k of keys) {
        // An entry whose delivery is missing: its fan-out stopped between the two inserts and is written again.
        const d = byId.get(k._id);
        if (!d || !keep(d)) continue;
        out.push(d);
        if (out.length === limit) return out;
      }
      const last = keys.at(-1) as ListingDoc;
      cursor = { at: last.createdAt, id: last._id };
    }
  }

  /** The deliveries' entries (ones already listed are skipped). */
  async function list(docs: ReadonlyArray<Pick<WebhookDeliveryDoc, '_id' | 'endpointId' | 'createdAt'>>) {
    if (docs.length === 0) return;
    const added = docs.map((d) => ({ _id: d._id, endpointId: d.endpointId, createdAt: d.createdAt }));
    try {
      await listing.insertMany(added, { ordered: false });
    } catch (e) {
      if (!duplicateIndexes(e, added.length)) throw e;
    }
  }

  return {
    /** Lists deliveries: called before they are inserted, so a stored delivery is always listed. */
    list,
    /** Newest first, keyset-paged on (createdAt, _id); a status filters what the listing returns. */
    page: (
      brandId: string,
      endpointId: string,
      q: { status?: DeliveryStatus; after?: Keyset; limit: number },
    ): Promise<WebhookDeliveryDoc[]> =>
      walk(endpointId, -1, q.limit, (d) => d.brandId === brandId && (!q.status || d.status === q.status), q.after),
    failedSince: (endpointId: string, since: Date, limit: number): Promise<WebhookDeliveryDoc[]> =>
      walk(endpointId, 1, limit, (d) => d.status === 'failed', undefined, since),
    /**
     * The listing's index; a database of an earlier version gets an entry for each delivery it holds (repeats
     * are skipped) before the deliveries' own indexes are dropped, so a start that stops half-way does it again.
     */
    async ensureIndexes(): Promise<void> {
      await conn.createCollection('webhook_delivery_listing').catch(ignoreExists);
      await listing.createIndex({ endpointId: 1, createdAt: -1 });
      const retired = (await deliveries.indexes()).map((i) => i.name).filter((n) => RETIRED_INDEXES.includes(n ?? ''));
      if (retired.length === 0) return;
      const all = deliveries.find({}, { projection: { _id: 1, endpointId: 1, createdAt: 1 } }).batchSize(1000);
      const batch: WebhookDeliveryDoc[] = [];
      for await (const d of all) {
        batch.push(d);
        if (batch.length === 1000) await list(batch.splice(0));
      }
      await list(batch);
      // The api and the worker both start here: one that finds an index already dropped by the other goes on.
      for (const name of retired)
        await deliveries.dropIndex(name as string).catch(async (err: unknown) => {
          if ((await deliveries.indexes()).some((i) => i.name === name)) throw err;
        });
    },
  };
}
