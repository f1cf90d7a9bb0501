import type { Collection, Connection } from 'mongoose';
import { insertNew, ignoreExists, ignoreMissing } from '../mongo-errors.js';
import type { DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';

/**
 * A delivery's place in its endpoint's log, written once, beside the delivery, never updated: `_id` is
 * `<endpointId>/<createdAt as ISO 8601>/<deliveryId>`, so the primary key alone orders an endpoint's log.
 */
interface OrderDoc {
  _id: string;
}

type Keyset = { at: Date; id: string };
type Listed = Pick<WebhookDeliveryDoc, '_id' | 'endpointId' | 'createdAt'>;

/** Secondary indexes of `webhook_deliveries` made by earlier versions: the listing replaced them. */
const RETIRED_INDEXES = ['endpointId_1_createdAt_-1', 'endpointId_1_status_1_createdAt_-1'];
/** The listing of earlier versions (`_id` = delivery id, indexed on `{endpointId, createdAt}`). */
const RETIRED_LISTING = 'webhook_delivery_listing';
/** Listing entries read per round while a page (or `recover`) filters deliveries by status. */
const CHUNK = 200;

const keyOf = (endpointId: string, at: Date, id: string) => `${endpointId}/${at.toISOString()}/${id}`;
/** The endpoint's keys lie between these two ('0' follows '/'). */
const first = (endpointId: string) => `${endpointId}/`;
const beyond = (endpointId: string) => `${endpointId}0`;
const deliveryOf = (key: string) => key.slice(key.indexOf('/', key.indexOf('/') + 1) + 1);
/** The keyset a key stands for (its time and delivery), where a walk goes on from. */
const keysetOf = (endpointId: string, key: string): Keyset => ({
  at: new Date(key.slice(endpointId.length + 1, key.indexOf('/', endpointId.length + 1))),
  id: deliveryOf(key),
});

/**
 * The endpoint's log order kept apart from the deliveries, in `webhook_delivery_order`: one small document per
 * delivery whose `_id` orders it, and no secondary index at all. On DocumentDB every secondary index is a
 * `documentdb_rum` index, each entry of which logs ~2.2 KB of generic WAL (three endpoints: three entries a
 * status change), while the primary key is a btree that serves a range of `_id`s (one range per query; an `$or`
 * of ranges scans). The deliveries carry no secondary index either, and their attempts are logged apart
 * (webhook-attempt-log.ts). Lists read the order newest first, the deliveries by `_id` and their attempts by
 * theirs. Databases of earlier versions are listed here at start: their listing (`webhook_delivery_listing`,
 * then dropped) or, older still, their deliveries (whose indexes are then dropped).
 */
export function webhookDeliveryListing(
  conn: Connection,
  deliveries: Collection<WebhookDeliveryDoc>,
  /** the deliveries as read, completed with their logged attempts (webhook-attempt-log.ts) */
  complete: (docs: WebhookDeliveryDoc[]) => Promise<WebhookDeliveryDoc[]>,
) {
  const order = conn.collection<OrderDoc>('webhook_delivery_order');

  /** The endpoint's entries after `from` in the given direction, `n` at most, as delivery ids. */
  const entries = async (endpointId: string, n: number, dir: 1 | -1, from?: Keyset, since?: Date) => {
    const bound = from ? keyOf(endpointId, from.at, from.id) : undefined;
    const range =
      dir === -1
        ? { $gt: first(endpointId), $lt: bound ?? beyond(endpointId) }
        : {
            [bound ? '$gt' : '$gte']: bound ?? (since ? keyOf(endpointId, since, '') : first(endpointId)),
            $lt: beyond(endpointId),
          };
    const docs = await order
      .find({ _id: range } as never)
      .sort({ _id: dir })
      .limit(n)
      .toArray();
    return docs.map((d) => d._id);
  };

  /** Walks the order in chunks, keeping the deliveries `keep` accepts, until `limit` are kept or it ends. */
  async function walk(
    endpointId: string,
    dir: 1 | -1,
    limit: number,
    keep: (d: WebhookDeliveryDoc) => boolean,
    from?: Keyset,
    since?: Date,
  ): Promise<WebhookDeliveryDoc[]> {
    const out: WebhookDeliveryDoc[] = [];
    let cursor = from;
    for (;;) {
      const keys = await entries(endpointId, Math.max(limit, CHUNK), dir, cursor, since);
      if (keys.length === 0) return out;
      const ids = keys.map(deliveryOf);
      const docs = await complete(await deliveries.find({ _id: { $in: ids } }, { projection: { body: 0 } }).toArray());
      const byId = new Map(docs.map((d) => [d._id, d]));
      for (const id of ids) {
        // An entry whose delivery is missing: its fan-out stopped between the two inserts and is written again.
        const d = byId.get(id);
        if (!d || !keep(d)) continue;
        out.push(d);
        if (out.length === limit) return out;
      }
      cursor = keysetOf(endpointId, keys.at(-1) as string);
    }
  }

  /** The deliveries' entries (ones already listed are skipped). */
  async function list(docs: readonly Listed[]) {
    if (docs.length === 0) return;
    await insertNew(
      order,
      docs.map((d) => ({ _id: keyOf(d.endpointId, d.createdAt, d._id) })),
    );
  }

  /** Lists every document `docs` yields, 1,000 at a time. */
  async function listAll(docs: AsyncIterable<Listed>) {
    const batch: Listed[] = [];
    for await (const d of docs) {
      batch.push(d);
      if (batch.length === 1000) await list(batch.splice(0));
    }
    await list(batch);
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
     * A database of an earlier version is listed here (repeats are skipped) before what it used is dropped: its
     * listing, or its deliveries' own indexes. A start that stops half-way does it again.
     */
    async ensureIndexes(): Promise<void> {
      await conn.createCollection('webhook_delivery_order').catch(ignoreExists);
      // The api and the worker both start here: one that finds something already dropped by the other goes on.
      const collections = (await conn.db?.listCollections({ name: RETIRED_LISTING }).toArray()) ?? [];
      if (collections.length > 0) {
        const old = conn.collection<Listed>(RETIRED_LISTING);
        await listAll(old.find({}).batchSize(1000));
        await old.drop().catch(ignoreMissing);
      }
      const retired = (await deliveries.indexes()).map((i) => i.name).filter((n) => RETIRED_INDEXES.includes(n ?? ''));
      if (retired.length === 0) return;
      await listAll(deliveries.find({}, { projection: { _id: 1, endpointId: 1, createdAt: 1 } }).batchSize(1000));
      for (const name of retired)
        await deliveries.dropIndex(name as string).catch(async (err: unknown) => {
          if ((await deliveries.indexes()).some((i) => i.name === name)) throw err;
        });
    },
  };
}
