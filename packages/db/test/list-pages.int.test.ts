import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { createRepositories, ensureIndexes, influencerModel, type ListFilter } from '../src/index.js';

const STATUSES = ['signed_up', 'purchased', 'done', 'followed_up'] as const;
const handle = (i: number) => `h${String(i).padStart(5, '0')}`;
const influencer = (i: number, campaignId = 'c1') => ({
  _id: `${campaignId}-${i}`,
  campaignId,
  listed: true,
  status: STATUSES[i % 4],
  statusRank: i % 4,
  instagramHandle: handle(i),
});

/**
 * Pages read up to the bound their previous read found (see influencerQueries.page) must equal pages read
 * without it, whatever was signed up or changed status in between.
 */
describe('list pages read within a remembered bound', () => {
  const url = mongoUrlFor(uniqueName('pages'));
  let conn: mongoose.Connection;
  const finds: Record<string, unknown>[] = [];
  beforeAll(async () => {
    conn = await mongoose.createConnection(url, { monitorCommands: true, autoIndex: false }).asPromise();
    conn.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'find' && e.command.find === 'influencers') finds.push(e.command.filter);
    });
    await ensureIndexes(createRepositories(conn));
    // Even handles only, so that later sign-ups can land between them; another campaign beside it.
    const docs = [...Array(300).keys()].flatMap((k) => [influencer(2 * k), influencer(2 * k, 'c2')]);
    await conn.collection('influencers').insertMany(docs as never[]);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  async function truth(f: ListFilter, limit: number) {
    const queries = createRepositories(conn).influencerQueries;
    const docs = await influencerModel(conn)
      .find(queries.filterOf(f))
      .sort({ instagramHandle: 1 })
      .limit(limit + 1)
      .lean()
      .exec();
    return { handles: docs.slice(0, limit).map((d) => d.instagramHandle), hasMore: docs.length > limit };
  }

  async function pageOf(queries: ReturnType<typeof createRepositories>['influencerQueries'], f: ListFilter) {
    finds.length = 0;
    const { items, hasMore } = await queries.page(f, 50);
    const reads = finds.map((filter) => JSON.stringify(filter));
    return { page: { handles: items.map((d) => d.instagramHandle), hasMore }, reads };
  }

  it('equal the unbounded pages after sign-ups and status changes, and read bounded when they can', async () => {
    const queries = createRepositories(conn).influencerQueries;
    const all: ListFilter = { campaignId: 'c1' };

    const first = await pageOf(queries, all);
    expect(first.page).toEqual(await truth(all, 50));
    expect(first.reads).toEqual([expect.not.stringContaining('$lte')]);

    const again = await pageOf(queries, all);
    expect(again.page).toEqual(first.page);
    expect(again.reads).toEqual([expect.stringContaining('"$lte":"h00100"')]);

    // Sign-ups that sort inside the page move it; the bound still holds 51 rows, so one bounded read serves it.
    await conn.collection('influencers').insertMany([influencer(1), influencer(51), influencer(99)] as never[]);
    const moved = await pageOf(queries, all);
    expect(moved.page).toEqual(await truth(all, 50));
    expect(moved.page.handles.slice(0, 2)).toEqual([handle(0), handle(1)]);
    expect(moved.reads).toHaveLength(1);

    // The next page, by its cursor, the same way.
    const after = moved.page.handles.at(-1) as string;
    await pageOf(queries, { ...all, after });
    const second = await pageOf(queries, { ...all, after });
    expect(second.page).toEqual(await truth({ ...all, after }, 50));
    expect(second.reads).toEqual([expect.stringContaining('$lte')]);

    // Rows leaving a status filter inside the bound: the bounded read comes up short and the page is read again.
    const done: ListFilter = { campaignId: 'c1', status: 'done' };
    await pageOf(queries, done);
    await conn.collection('influencers').updateMany(
      { campaignId: 'c1', status: 'done', instagramHandle: { $lt: handle(100) } },
      {
        $set: { status: 'followed_up', statusRank: 3 },
      },
    );
    const shrunk = await pageOf(queries, done);
    expect(shrunk.page).toEqual(await truth(done, 50));
    expect(shrunk.reads).toHaveLength(2);
    expect(shrunk.page.hasMore).toBe(true);
  });
});
