import { beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, ensureIndexes, type Repositories } from '../src/index.js';
import { influencerEvents } from './support/influencer-events.js';
import { ownDatabase } from './support/own-database.js';

/**
 * Counts kept beside the influencer (click-counts.ts, issue 24): a click that can move nothing writes only its
 * counts document, the influencer document stays as it was, and every read shows the larger of the two counts.
 */
describe('influencer counts documents (real database)', () => {
  const db = ownDatabase('counts');
  let repos: Repositories;
  const campaignId = '65e000000000000000000001';
  const { id, at, signup, click } = influencerEvents(campaignId, 0x65e1000000000000000000n);
  const raw = (i: number) => db.conn.collection('influencers').findOne({ _id: id(i) as never });
  const countsDoc = (i: number) => db.conn.collection('influencer_counts').findOne({ _id: id(i) as never });

  beforeAll(async () => {
    repos = createRepositories(db.conn);
    await ensureIndexes(repos);
  });

  it('a later click raises only the counts document; lists, detail and CSV cursor show the sum of clicks', async () => {
    await repos.influencers.applySignup(signup(0));
    await repos.influencers.applyClicks([click(0, 0)]);
    const first = await raw(0);
    expect(first).toMatchObject({ status: 'purchased', purchaseClicks: 1 });
    // Same process: its facts are known settled, so later clicks (and a bot's) leave the influencer alone.
    await repos.influencers.applyClicks([click(0, 1), click(0, 2), click(0, 3, false)]);
    await repos.influencers.applyClicks([click(0, 1)]); // a redelivery
    expect(await raw(0)).toEqual(first);
    expect(await countsDoc(0)).toMatchObject({ purchaseClicks: 3, botClicks: 1 });

    const shown = await repos.influencerQueries.findInCampaign(campaignId, id(0));
    expect(shown).toMatchObject({ purchaseClicks: 3, botClicks: 1, reviewClicks: 0, status: 'purchased' });
    const { items } = await repos.influencerQueries.page({ campaignId }, 10);
    expect(items.map((d) => [d._id, d.purchaseClicks, d.botClicks])).toEqual([[id(0), 3, 1]]);
    const streamed = [];
    for await (const d of repos.influencerQueries.cursor({ campaignId })) streamed.push([d._id, d.purchaseClicks]);
    expect(streamed).toEqual([[id(0), 3]]);
  });

  it('a click that sets a fact writes the influencer, with its count, under one compare-and-set', async () => {
    await repos.influencers.applySignup(signup(1));
    await repos.influencers.applyClicks([click(1, 0)]);
    const before = await raw(1);
    await repos.influencers.applyClicks([click(1, 1, true, 'review')]);
    const after = await raw(1);
    expect(after).toMatchObject({ reviewClicks: 1, firstReviewClickAt: new Date(at(11)), rev: (before?.rev ?? 0) + 1 });
    expect(await countsDoc(1)).toBeNull();
  });

  it('reads take the larger count when the influencer holds a higher one (documents from before the split)', async () => {
    await repos.influencers.applySignup(signup(2));
    await db.conn.collection('influencers').updateOne({ _id: id(2) as never }, { $set: { reviewClicks: 7 } });
    await db.conn.collection('influencer_counts').insertOne({ _id: id(2), reviewClicks: 2, remindersSent: 1 } as never);
    const shown = await repos.influencers.findWithCounts(id(2));
    expect(shown).toMatchObject({ reviewClicks: 7, remindersSent: 1 });
  });

  it('recounts reminders sent into the counts document, exact under concurrent recounts', async () => {
    await repos.influencers.applySignup(signup(3));
    for (const n of [0, 1])
      await repos.events.insertOne({
        _id: `reminder-r${n}`,
        campaignId,
        influencerId: id(3),
        type: 'reminder_sent',
        at: new Date(at(20 + n)),
        detail: 'sent',
        source: 'test',
        counter: 'remindersSent',
        data: {},
      });
    const other = createRepositories(db.conn);
    await Promise.all([
      repos.influencers.recount(id(3), 'remindersSent'),
      other.influencers.recount(id(3), 'remindersSent'),
    ]);
    expect(await countsDoc(3)).toMatchObject({ remindersSent: 2 });
    expect((await repos.influencerQueries.findInCampaign(campaignId, id(3)))?.remindersSent).toBe(2);
  });
});
