import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { attributionRepository, CampaignCache, campaignRepository, connectMongo, type TagUrls } from '../src/index.js';

const tag = (id: string, creativeId: string) => ({
  _id: id,
  instagramHandle: `h${id}`,
  url: `https://www.amazon.com/dp/B0X?aa_campaignid=1&aa_adgroupid=2&aa_creativeid=${creativeId}`,
  amazonCampaignId: '1',
  adGroupId: '2',
  creativeId,
});

describe('attribution tags: storage and the campaign cache that carries them to the redirect', () => {
  const url = mongoUrlFor(uniqueName('tags'));
  let conn: mongoose.Connection;
  let repo: ReturnType<typeof attributionRepository>;
  let campaignId: string;
  beforeAll(async () => {
    conn = await connectMongo(url);
    repo = attributionRepository(conn);
    await repo.ensureIndexes();
    const campaigns = campaignRepository(conn);
    await campaigns.ensureIndexes();
    campaignId = (
      await campaigns.create('b1', {
        name: 'C',
        productUrl: 'https://example.com/p',
        reviewUrl: 'https://example.com/r',
      })
    )._id;
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  it('reads no tags for a campaign without any, and a new version after every upload', async () => {
    expect(await repo.tags.urlsFor(campaignId)).toBeUndefined();
    await repo.tags.store(campaignId, [tag('a1', '9001'), tag('b2', '9002')]);
    const first = (await repo.tags.urlsFor(campaignId)) as TagUrls;
    expect(Object.fromEntries(first.urls)).toEqual({ a1: tag('a1', '9001').url, b2: tag('b2', '9002').url });
    // Unchanged: the same object comes back (one lookup of the tag set, no reread of the tags).
    expect(await repo.tags.urlsFor(campaignId, first)).toBe(first);
    await repo.tags.store(campaignId, [tag('a1', '9011')]);
    const second = (await repo.tags.urlsFor(campaignId, first)) as TagUrls;
    expect(second).not.toBe(first);
    expect(second.urls.get('a1')).toMatch(/aa_creativeid=9011$/);
    expect(second.urls.size).toBe(2);
    expect((await repo.tags.forInfluencers(campaignId, ['b2'])).map((t) => t.creativeId)).toEqual(['9002']);
  });

  it('lets the campaign cache carry the tags, keeping the map until the tags change', async () => {
    const cache = new CampaignCache(campaignRepository(conn), 0, repo.tags.urlsFor);
    const a = await cache.get(campaignId);
    const b = await cache.get(campaignId);
    expect(a?.tagUrls?.urls.get('b2')).toBe(tag('b2', '9002').url);
    expect(b?.tagUrls).toBe(a?.tagUrls);
    await repo.tags.store(campaignId, [tag('c3', '9003')]);
    expect((await cache.get(campaignId))?.tagUrls?.urls.get('c3')).toBe(tag('c3', '9003').url);
    const untagged = await campaignRepository(conn).create('b1', {
      name: 'D',
      productUrl: 'https://example.com/p',
      reviewUrl: 'https://example.com/r',
    });
    expect((await cache.get(untagged._id))?.tagUrls).toBeUndefined();
  });
});
