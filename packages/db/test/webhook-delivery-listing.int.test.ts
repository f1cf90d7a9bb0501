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
  it('lists a moment in one document, pages through moments sharing a millisecond, and skips a repeat', async () => {
    const repos = createRepositories(db.conn);
    await ensureIndexes(repos);
    const hooks = repos.webhookDeliveries;
    const failed = new Set(['m03', 'm04', 'n100']);
    const record = (ids: string[], t: Date) =>
      hooks.recordDeliveries(
        ids.map((id) => ({
          ...newDelivery(
            { _id: `ep4-${id}`, endpointId: 'ep4', brandId: 'b1', messageId: id, type: 'ping', body: '{}' },
            t,
          ),
          status: failed.has(id) ? ('failed' as const) : ('succeeded' as const),
        })),
      );
    const singles = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const big = Array.from({ length: 250 }, (_, i) => `n${String(i).padStart(3, '0')}`);
    const t = at(5000);
    await record(big, at(4000));
    // 46 documents between, so that an oldest-first walk from at(4000) reads 50 documents ending inside moment t.
    for (const [i, id] of singles('s', 46).entries()) await record([id], at(4500 + i));
    // Two fan-outs in one millisecond whose ids interleave.
    await record(['m02', 'm04', 'm06'], t);
    await record(['m01', 'm03', 'm05'], t);
    // 49 newer documents: a newest-first walk reads 50 documents ending inside moment t.
    for (const [i, id] of singles('z', 49).entries()) await record([id], at(6000 + i));
    // A repeated fan-out of m03, later: listed again, found stored, still shown once, at its first moment.
    await record(['m03'], at(7000));
    const order = db.conn.collection('webhook_delivery_order');
    expect(await order.countDocuments({ _id: { $gt: 'ep4/', $lt: 'ep40' } } as never)).toBe(3 + 46 + 2 + 49 + 1);

    const byKeyDesc = (ids: string[]) => [...ids].sort().reverse();
    const expected = [
      ...singles('z', 49).reverse(),
      ...['m06', 'm05', 'm04', 'm03', 'm02', 'm01'],
      ...singles('s', 46).reverse(),
      ...byKeyDesc(big),
    ].map((id) => `ep4-${id}`);
    const walk = async (status?: 'failed', limit = 7) => {
      const ids: string[] = [];
      let after: { at: Date; id: string } | undefined;
      for (;;) {
        const page = await hooks.page('b1', 'ep4', { status, after, limit });
        if (page.length === 0) return ids;
        ids.push(...page.map((d) => d._id));
        const last = page.at(-1)!;
        after = { at: last.createdAt, id: last._id };
      }
    };
    expect(await walk()).toEqual(expected);
    expect(await walk('failed', 1)).toEqual(['ep4-m04', 'ep4-m03', 'ep4-n100']);
    expect((await hooks.failedSince('ep4', at(4000), 10)).map((d) => d._id)).toEqual([
      'ep4-n100',
      'ep4-m03',
      'ep4-m04',
    ]);
    expect((await hooks.failedSince('ep4', t, 10)).map((d) => d._id)).toEqual(['ep4-m03', 'ep4-m04']);
  });
});
