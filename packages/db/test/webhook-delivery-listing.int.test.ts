import { describe, expect, it } from 'vitest';
import { createRepositories, ensureIndexes, newDelivery, type DeliveryStatus } from '../src/index.js';
import { ownDatabase } from './support/own-database.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, 0, s));
/** Every 97th delivery failed, every 89th pending, the rest succeeded; one in ten belongs to another endpoint. */
const statusOf = (i: number): DeliveryStatus => (i % 97 === 0 ? 'failed' : i % 89 === 0 ? 'pending' : 'succeeded');
const delivery = (i: number) => ({
  ...newDelivery(
    {
      _id: `ep${i % 10 === 9 ? 2 : 1}-msg_${i}`,
      endpointId: i % 10 === 9 ? 'ep2' : 'ep1',
      brandId: 'b1',
      messageId: `msg_${i}`,
      type: 'ping',
      body: '{}',
    },
    at(i),
  ),
  status: statusOf(i),
});

/**
 * Webhook deliveries carry no secondary index: the endpoint's log order lives in an insert-only listing ordered by
 * its `_id` alone. A database of an earlier version (the deliveries' own indexes, no listing; or the indexed
 * listing that followed) is listed and loses what it used when the api and the worker start together; pages by
 * status cross the listing's chunks.
 */
describe('webhook deliveries: listed apart, no secondary index', () => {
  const db = ownDatabase('hookidx');

  it('lists an earlier database once, drops its indexes, and pages by status through the listing', async () => {
    const deliveries = db.conn.collection('webhook_deliveries');
    await db.conn.createCollection('webhook_deliveries');
    await deliveries.createIndex({ endpointId: 1, createdAt: -1 });
    await deliveries.createIndex({ endpointId: 1, status: 1, createdAt: -1 });
    await deliveries.insertMany(Array.from({ length: 500 }, (_, i) => delivery(i)) as never[]);
    const repos = createRepositories(db.conn);
    await Promise.all([ensureIndexes(repos), ensureIndexes(createRepositories(db.conn))]);
    expect((await deliveries.indexes()).map((i) => i.name)).toEqual(['_id_']);
    expect(await db.conn.collection('webhook_delivery_order').countDocuments()).toBe(500);

    // Recorded from now on: listed with the insert.
    await repos.webhookDeliveries.recordDeliveries(Array.from({ length: 100 }, (_, i) => delivery(500 + i)));
    const ep1 = Array.from({ length: 600 }, (_, i) => i).filter((i) => i % 10 !== 9);
    const failed = ep1.filter((i) => statusOf(i) === 'failed').reverse();
    const pages: string[][] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await repos.webhookDeliveries.page('b1', 'ep1', { status: 'failed', after, limit: 2 });
      if (page.length === 0) break;
      pages.push(page.map((d) => d._id));
      const last = page.at(-1)!;
      after = { at: last.createdAt, id: last._id };
    }
    expect(pages.flat()).toEqual(failed.map((i) => `ep1-msg_${i}`));
    expect((await repos.webhookDeliveries.page('b2', 'ep1', { limit: 5 })).length).toBe(0);
    const newest = await repos.webhookDeliveries.page('b1', 'ep1', { limit: 3 });
    expect(newest.map((d) => d._id)).toEqual(['ep1-msg_598', 'ep1-msg_597', 'ep1-msg_596']);
    const since = await repos.webhookDeliveries.failedSince('ep1', at(200), 10);
    expect(since.map((d) => d._id)).toEqual(
      failed
        .filter((i) => i >= 200)
        .reverse()
        .map((i) => `ep1-msg_${i}`),
    );
  });

  it('moves the indexed listing of an earlier version into the order, then drops it', async () => {
    const old = db.conn.collection('webhook_delivery_listing');
    await db.conn.createCollection('webhook_delivery_listing');
    await old.createIndex({ endpointId: 1, createdAt: -1 });
    const docs = Array.from({ length: 30 }, (_, i) => ({ ...delivery(1000 + i), endpointId: 'ep3', _id: `ep3-m${i}` }));
    await db.conn.collection('webhook_deliveries').insertMany(docs as never[]);
    await old.insertMany(
      docs.map((d) => ({ _id: d._id, endpointId: d.endpointId, createdAt: d.createdAt })) as never[],
    );
    const repos = createRepositories(db.conn);
    await Promise.all([ensureIndexes(repos), ensureIndexes(createRepositories(db.conn))]);
    expect(await db.conn.db?.listCollections({ name: 'webhook_delivery_listing' }).toArray()).toEqual([]);
    const newest = await repos.webhookDeliveries.page('b1', 'ep3', { limit: 2 });
    expect(newest.map((d) => d._id)).toEqual(['ep3-m29', 'ep3-m28']);
    const last = newest.at(-1)!;
    const next = await repos.webhookDeliveries.page('b1', 'ep3', {
      limit: 2,
      after: { at: last.createdAt, id: last._id },
    });
    expect(next.map((d) => d._id)).toEqual(['ep3-m27', 'ep3-m26']);
  });
});
