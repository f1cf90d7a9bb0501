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
    const influencers = db.conn.collection('influencers');
    await influencers.updateOne({ _id: id(2) as never }, { $set: { reviewClicks: 7, remindersSent: 3 } });
    await db.conn.collection('influencer_counts').insertOne({ _id: id(2), reviewClicks: 2, botClicks: 4 } as never);
    const shown = await repos.influencerQueries.findWithCounts(id(2));
    expect(shown).toMatchObject({ reviewClicks: 7, botClicks: 4, remindersSent: 3 });
  });

  it('counts reminders sent from the reminders in state sent, not from a write per reminder', async () => {
    await repos.influencers.applySignup(signup(3));
    const r = (attempt: number) => ({
      campaignId,
      influencerId: id(3),
      stage: 'purchase' as const,
      attempt,
      dueAt: new Date(),
    });
    for (const n of [1, 2, 3]) await repos.reminders.schedule(r(n));
    const before = await raw(3);
    await repos.reminders.finish(`${id(3)}-purchase-1`, 'sent', 'delivered', new Date());
    await repos.reminders.finish(`${id(3)}-purchase-2`, 'sent', 'delivered', new Date());
    await repos.reminders.finish(`${id(3)}-purchase-3`, 'cancelled', 'not sent', null);
    expect(await raw(3)).toEqual(before);
    expect((await repos.influencerQueries.findInCampaign(campaignId, id(3)))?.remindersSent).toBe(2);
    const { items } = await repos.influencerQueries.page({ campaignId, q: 'h.3' }, 10);
    expect(items.map((d) => d.remindersSent)).toEqual([2]);
  });
});
