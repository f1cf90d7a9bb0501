import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, mongoUrlFor, pollUntil, uniqueName } from '@seedline/testkit';
import { influencerEvents } from './support/influencer-events.js';
import {
  connectMongo,
  createRepositories,
  ensureIndexes,
  eventRepository,
  influencerRepository,
  stageCounters,
  type Repositories,
} from '../src/index.js';

/**
 * Stage counters against the real database: many writers without locks, a move folded twice, a writer that
 * dies between its compare-and-set and its fold, and the recount.
 */
describe('stage counters (real database)', () => {
  const url = mongoUrlFor(uniqueName('counters'));
  let conn: mongoose.Connection;
  let repos: Repositories;
  const campaignId = '65d000000000000000000001';
  const { id, signup, click } = influencerEvents(campaignId, 0x65d1000000000000000000n);

  beforeAll(async () => {
    conn = await connectMongo(url);
    repos = createRepositories(conn);
    await ensureIndexes(repos);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  it('40 writers at once on one influencer, a fifth of them repeats, and no lock: counts, status and counters exact', async () => {
    await repos.influencers.applySignup(signup(0));
    // Two repositories stand for two worker processes (each folds into its own slot).
    const other = createRepositories(conn);
    const writes = Array.from({ length: 40 }, (_, n) =>
      (n % 2 ? repos : other).influencers.applyClicks([click(0, n % 32)]),
    );
    await Promise.all([...writes, repos.influencers.applySignup(signup(0)), other.influencers.applySignup(signup(0))]);
    const doc = await repos.influencerQueries.findWithCounts(id(0));
    expect({ clicks: doc?.purchaseClicks, status: doc?.status, pending: doc?.pendingCounts ?? [] }).toEqual({
      clicks: 32,
      status: 'purchased',
      pending: [],
    });
    const { stages, estimatedPurchases } = await repos.influencerQueries.stageCounts(campaignId);
    expect({ stages, estimatedPurchases }).toEqual({
      stages: { signed_up: 0, purchased: 1, done: 0, followed_up: 0 },
      estimatedPurchases: 1,
    });
    const statusEntries = (await repos.events.forInfluencer(id(0))).filter((e) => e.type === 'status_change');
    expect(statusEntries).toHaveLength(1);
  });

  it('a writer that dies between its compare-and-set and its fold: reads count the move; the sweep folds it once', async () => {
    // A fold that never happens, as when the process is killed right after its compare-and-set.
    const dead = stageCounters(conn);
    dead.fold = () => Promise.resolve();
    const events = eventRepository(conn);
    const dying = influencerRepository(conn, events, dead);
    await dying.applySignup(signup(1));
    await dying.applyClicks([click(1, 0)]);
    expect((await repos.influencers.findById(id(1)))?.pendingCounts).toHaveLength(2);
    const read = await repos.counters.read(campaignId);
    expect(read.unfolded).toBe(2);
    expect((await repos.influencerQueries.stageCounts(campaignId)).stages).toEqual({
      signed_up: 0,
      purchased: 2,
      done: 0,
      followed_up: 0,
    });
    // The sweep only takes moves old enough that their writer has given up on them.
    expect(await repos.counters.sweep(campaignId)).toBe(0);
    expect(await repos.counters.sweep(campaignId, 0)).toBe(2);
    expect(await repos.counters.sweep(campaignId, 0)).toBe(0);
    expect((await repos.counters.read(campaignId)).unfolded).toBe(0);
    expect((await repos.influencerQueries.stageCounts(campaignId)).stages).toEqual({
      signed_up: 0,
      purchased: 2,
      done: 0,
      followed_up: 0,
    });
    expect((await repos.recount(campaignId, { repair: false })).drift).toEqual({});
  });

  it('a move folded twice (its writer and the sweep racing) moves the counters once', async () => {
    const dead = stageCounters(conn);
    let held: Parameters<typeof dead.fold>[0] = [];
    dead.fold = (items) => {
      held = items;
      return Promise.resolve();
    };
    await influencerRepository(conn, eventRepository(conn), dead).applySignup(signup(2));
    expect(held).toHaveLength(1);
    // The writer folds but dies before dropping the move from its influencer...
    const slots = conn.collection('stage_counters');
    const move = held[0]!;
    await slots.updateOne(
      { _id: `${campaignId}~${move.s}` as never },
      { $inc: move.d, $set: { [`applied.${move.t}`]: new Date() }, $setOnInsert: { campaignId } },
      { upsert: true },
    );
    // A read meanwhile finds the move both held and marked in its slot: counted once.
    expect((await repos.counters.read(campaignId)).unfolded).toBe(0);
    expect((await repos.influencerQueries.stageCounts(campaignId)).stages).toEqual({
      signed_up: 1,
      purchased: 2,
      done: 0,
      followed_up: 0,
    });
    // ...then the sweep finds the move still held: the slot's marker says it is in already.
    expect(await repos.counters.sweep(campaignId, 0)).toBe(1);
    expect((await repos.influencerQueries.stageCounts(campaignId)).stages).toEqual({
      signed_up: 1,
      purchased: 2,
      done: 0,
      followed_up: 0,
    });
    expect((await repos.recount(campaignId, { repair: false })).drift).toEqual({});
    expect(
      Object.keys((await slots.findOne({ _id: `${campaignId}~${move.s}` as never }))?.applied ?? {}),
    ).not.toContain(move.t);
  });

  it('the recount finds a counter changed by hand and a document counted as what it is not, and repairs both', async () => {
    await conn.collection('stage_counters').updateOne({ campaignId }, { $inc: { done: 4, purchased: -1 } });
    await conn.collection('influencers').updateOne({ _id: id(2) as never }, { $set: { counted: null } });
    const found = await repos.recount(campaignId, { repair: false });
    expect({ drift: found.drift, miscounted: found.miscounted, repaired: found.repaired }).toEqual({
      drift: { done: -4, purchased: 1 },
      miscounted: 1,
      repaired: false,
    });
    const repaired = await repos.recount(campaignId, { repair: true });
    expect(repaired.repaired).toBe(true);
    const again = await repos.recount(campaignId, { repair: false });
    expect({ drift: again.drift, miscounted: again.miscounted, documents: again.documents }).toEqual({
      drift: {},
      miscounted: 0,
      documents: { signed_up: 1, purchased: 2, done: 0, followed_up: 0, estimatedPurchases: 2 },
    });
  });

  it('an unlisted influencer (clicked before its sign-up) is counted from its sign-up on', async () => {
    await repos.influencers.applyClicks([click(3, 0), click(3, 1, false)]);
    expect((await repos.influencerQueries.stageCounts(campaignId)).stages.purchased).toBe(2);
    await repos.influencers.applySignup(signup(3));
    expect((await repos.influencerQueries.stageCounts(campaignId)).stages.purchased).toBe(3);
    expect((await repos.recount(campaignId, { repair: false })).drift).toEqual({});
  });

  it('markers of folded moves are cleared after their grace with no later fold to take them', async () => {
    const quiet = '65d000000000000000000002';
    await repos.influencers.applySignup({ ...signup(30), campaignId: quiet });
    await repos.influencers.applyClicks([{ ...click(30, 0), campaignId: quiet }]);
    const slots = conn.collection('stage_counters');
    const markers = async () =>
      (await slots.find({ campaignId: quiet }).toArray()).flatMap((d) => Object.keys(d.applied ?? {}));
    await pollUntil(async () => (await markers()).length === 0, { what: 'the slot markers cleared' });
    expect((await repos.influencerQueries.stageCounts(quiet)).stages.purchased).toBe(1);
  });

  it('writers racing to create one influencer (clicks before and with its sign-up) lose nothing', async () => {
    const other = createRepositories(conn);
    for (let k = 10; k < 20; k++) {
      const writes = Array.from({ length: 8 }, (_, n) =>
        (n % 2 ? repos : other).influencers.applyClicks([click(k, n)]),
      );
      await Promise.all([...writes, (k % 2 ? repos : other).influencers.applySignup(signup(k))]);
    }
    const docs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => repos.influencerQueries.findWithCounts(id(10 + i))),
    );
    expect(docs.map((d) => [d?.purchaseClicks, d?.listed, d?.status])).toEqual(
      Array.from({ length: 10 }, () => [8, true, 'purchased']),
    );
    expect((await repos.recount(campaignId, { repair: false })).drift).toEqual({});
  });
});
