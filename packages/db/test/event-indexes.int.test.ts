import { beforeAll, describe, expect, it } from 'vitest';
import { CLICK_COUNTERS, eventModel, eventRepository, type Counter } from '../src/index.js';
import { planOf } from './support/explain-plan.js';
import { ownDatabase } from './support/own-database.js';

const COUNTERS: (Counter | null)[] = ['purchaseClicks', 'reviewClicks', 'botClicks', null];

/**
 * The events collection keeps one secondary index, `{influencerId, counter}` (every index costs each inserted
 * event an entry, issue 24): the counts and the timeline are all served by it, and a database made with the
 * former `{influencerId, at}` index loses that one at start.
 */
describe('the events collection has one secondary index, serving every query on it (explain)', () => {
  const db = ownDatabase('evidx');
  beforeAll(async () => {
    const conn = db.conn;
    // A database as the apps made it before: the former timeline index is there.
    const Event = eventModel(conn);
    await Event.createCollection();
    await Event.collection.createIndex({ influencerId: 1, at: 1 });
    await eventRepository(conn).ensureIndexes();
    const docs = [];
    for (let i = 0; i < 40; i++)
      for (let k = 0; k < 100; k++)
        docs.push({
          _id: `e-${i}-${k}`,
          campaignId: 'c',
          influencerId: `i${i}`,
          type: 'purchase_click',
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, k % 50)),
          detail: 'x',
          source: 'test',
          counter: COUNTERS[k % COUNTERS.length],
          data: null,
        });
    await Event.collection.insertMany(docs as never[]);
  });

  it('keeps {influencerId, counter} and drops the former {influencerId, at} at start', async () => {
    const names = (await eventModel(db.conn).collection.indexes()).map((ix) => ix.name).sort();
    expect(names).toEqual(['_id_', 'influencerId_1_counter_1']);
  });

  it("an influencer's count per counter (the clicks' $max) is an index lookup", async () => {
    const explain = await eventModel(db.conn)
      .aggregate([
        { $match: { influencerId: { $in: ['i3', 'i7'] }, counter: { $in: ['purchaseClicks', 'reviewClicks'] } } },
        { $group: { _id: { i: '$influencerId', c: '$counter' }, n: { $sum: 1 } } },
      ])
      .explain('executionStats');
    const plan = planOf(explain);
    expect(plan.indexes).toEqual(['influencerId_1_counter_1']);
    expect(plan.collScan).toBe(false);
    const counts = await eventRepository(db.conn).countMany(['i3', 'i7'], ['purchaseClicks', 'reviewClicks']);
    expect([...counts.values()]).toEqual([25, 25, 25, 25]);
  });

  it("the timeline (an influencer's latest clicks and every other entry) uses the index", async () => {
    const explain = await eventModel(db.conn)
      .find({ influencerId: 'i5', counter: { $in: CLICK_COUNTERS } })
      .sort({ at: -1, _id: -1 })
      .limit(30)
      .explain('executionStats');
    const plan = planOf(explain);
    expect(plan.indexes).toEqual(['influencerId_1_counter_1']);
    expect(plan.collScan).toBe(false);
    // The order is the sort's (both databases sort the influencer's rows; the former index gave no `_id` order).
    // 25 entries that are not clicks (no counter here), and the latest 30 of the 75 clicks.
    const page = await eventRepository(db.conn).timeline('i5', 30);
    expect(page).toHaveLength(55);
    expect(page.filter((d) => d.counter === null)).toHaveLength(25);
    const keys = page.map((d) => `${d.at.toISOString()} ${d._id}`);
    expect(keys).toEqual([...keys].sort());
    expect(page.every((d) => d.influencerId === 'i5')).toBe(true);
  });
});
