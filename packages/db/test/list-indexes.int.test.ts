import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { connectMongo, createRepositories, ensureIndexes, influencerModel, type ListFilter } from '../src/index.js';
import { planOf } from './support/explain-plan.js';

/**
 * Every list order is served by the one list index: the filter (campaign, status) and the keyset range on
 * the handle are index conditions, never a scan of the collection.
 */
describe('influencer lists are keyset pages on matching indexes (explain)', () => {
  const url = mongoUrlFor(uniqueName('lists'));
  let conn: mongoose.Connection;
  const campaignId = 'c1';
  beforeAll(async () => {
    conn = await connectMongo(url);
    await ensureIndexes(createRepositories(conn));
    const statuses = ['signed_up', 'purchased', 'done', 'followed_up'];
    const docs = [];
    for (const c of ['c1', 'c2', 'c3']) {
      for (let i = 0; i < 2000; i++)
        docs.push({
          _id: `${c}-${i}`,
          campaignId: c,
          listed: i % 20 !== 0,
          status: statuses[i % 4],
          statusRank: i % 4,
          instagramHandle: `h${String(i).padStart(5, '0')}`,
        });
    }
    await conn.collection('influencers').insertMany(docs as never[]);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  // One index for every order: without a status filter the query names every status, and MongoDB merges one
  // ordered scan per status (SORT_MERGE, not a SORT stage).
  const LIST_INDEX = 'campaignId_1_status_1_instagramHandle_1';
  const cases: [string, ListFilter, string][] = [
    ['page 1', { campaignId }, LIST_INDEX],
    ['a later page (cursor)', { campaignId, after: 'h01000' }, LIST_INDEX],
    ['by status', { campaignId, status: 'done' }, LIST_INDEX],
    ['by status, a later page', { campaignId, status: 'done', after: 'h01000' }, LIST_INDEX],
    ['handle prefix', { campaignId, q: 'h011' }, LIST_INDEX],
  ];
  for (const [label, filter, index] of cases) {
    it(`${label}: served by ${index}`, async () => {
      const queries = createRepositories(conn).influencerQueries;
      const explain = await influencerModel(conn)
        .find(queries.filterOf(filter))
        .sort({ instagramHandle: 1 })
        .limit(51)
        .explain('executionStats');
      const plan = planOf(explain);
      expect(plan.indexes).toEqual([index]);
      // MongoDB walks the index in handle order (no sort stage). DocumentDB (FerretDB 2.7) filters through
      // the index and sorts the matching rows: its sort pushdown is an experimental, off-by-default feature.
      const onMongo = Boolean((explain as { queryPlanner?: { winningPlan?: unknown } }).queryPlanner?.winningPlan);
      if (onMongo) expect(plan.sortStage).toBe(false);
      // The page itself matches the filter's order.
      const { items } = await queries.page(filter, 50);
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((d) => d.instagramHandle)).toEqual([...items.map((d) => d.instagramHandle)].sort());
    });
  }
});
