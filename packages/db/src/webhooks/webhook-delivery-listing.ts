import type { Collection, Connection } from 'mongoose';
import { ignoreExists, ignoreMissing } from '../mongo-errors.js';
import { beyond, deliveryOrder, type Entry, type Listed, type OrderDoc } from './webhook-delivery-order.js';
import type { DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';

type Keyset = { at: Date; id: string };

/** Secondary indexes of `webhook_deliveries` made by earlier versions: the listing replaced them. */
const RETIRED_INDEXES = ['endpointId_1_createdAt_-1', 'endpointId_1_status_1_createdAt_-1'];
/** The listing of earlier versions (`_id` = delivery id, indexed on `{endpointId, createdAt}`). */
const RETIRED_LISTING = 'webhook_delivery_listing';
/** Listing documents read per round while a page (or `recover`) filters deliveries by status. */
const CHUNK_DOCS = 50;
/** Deliveries read per query. */
const CHUNK = 200;

/**
 * The endpoint's log order kept apart from the deliveries, in `webhook_delivery_order` (webhook-delivery-order.ts):
 * small documents, one per endpoint and moment of creation, whose `_id` orders them, and no secondary index. On
 * DocumentDB every secondary index is a `documentdb_rum` index, each entry of which logs ~2.2 KB of generic WAL (three
 * endpoints: three entries a status change), while the primary key is a btree that serves a range of `_id`s (one range
 * per query; an `$or` of ranges scans). The deliveries carry no secondary index either, and their attempts are logged
 * apart (webhook-attempt-log.ts). Lists read the order newest first, the deliveries by `_id` and their attempts by
 * theirs. Databases of earlier versions are listed here at start: their listing (`webhook_delivery_listing`, then
 * dropped) or, older still, their deliveries (whose indexes are then dropped).
 */
export function webhookDeliveryListing(
  conn: Connection,
  deliveries: Collection<WebhookDeliveryDoc>,
  /** the deliveries as read, completed with their logged attempts (webhook-attempt-log.ts) */
  complete: (docs: WebhookDeliveryDoc[]) => Promise<WebhookDeliveryDoc[]>,
) {
  const order = deliveryOrder(conn.collection<OrderDoc>('webhook_delivery_order'));

  /** The deliveries of these entries (in their order) that `keep` accepts, `limit` at most. */
  async function deliveriesOf(listed: Entry[], keep: (d: WebhookDeliveryDoc) => boolean, limit: number) {
    const out: WebhookDeliveryDoc[] = [];
    for (let i = 0; i < listed.length && out.length < limit; i += CHUNK) {
      const part = listed.slice(i, i + CHUNK);
      const found = await deliveries
        .find({ _id: { $in: part.map((e) => e.id) } }, { projection: { body: 0 } })
        .toArray();
      const byId = new Map((await complete(found)).map((d) => [d._id, d]));
      for (const e of part) {
        const d = byId.get(e.id);
        // Missing: its fan-out stopped between the two inserts and is written again. Listed at another moment
        // than it was created: a repeated fan-out listed it again, then found it stored (its first entry shows it).
        if (!d || d.createdAt.toISOString() !== e.at || !keep(d)) continue;
        out.push(d);
        if (out.length === limit) break;
      }
    }
    return out;
  }

  /** Walks the order in chunks, keeping the deliveries `keep` accepts, until `limit` are kept or it ends. */
  async function walk(
    endpointId: string,
    dir: 1 | -1,
    limit: number,
    keep: (d: WebhookDeliveryDoc) => boolean,
    from?: Keyset,
    since?: Date,
  ): Promise<WebhookDeliveryDoc[]> {
    const after = from && { at: from.at.toISOString(), id: from.id };
    const out: WebhookDeliveryDoc[] = [];
    let range: Parameters<typeof order.chunk>[3] | null = order.start(endpointId, dir, after, since);
    while (range && out.length < limit) {
      const { entries, next } = await order.chunk(endpointId, dir, CHUNK_DOCS, range);
      const listed = after ? entries.filter((e) => beyond(e, after, dir)) : entries;
      out.push(...(await deliveriesOf(listed, keep, limit - out.length)));
      range = next;
    }
    return out;
  }

  /** Lists every document `docs` yields, 1,000 at a time. */
  async function listAll(docs: AsyncIterable<Listed>) {
    const batch: Listed[] = [];
    for await (const d of docs) {
      batch.push(d);
      if (batch.length === 1000) await order.list(batch.splice(0));
    }
    await order.list(batch);
  }

  return {
    /** Lists deliveries: called before they are inserted, so a stored delivery is always listed. */
    list: order.list,
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
