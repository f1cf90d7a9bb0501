import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  amazonApiReport,
  BROWSER_UA,
  createStack,
  pollUntil,
  request,
  seedCampaign,
  type Stack,
} from '@seedline/testkit';
import { postUpload, type SeededCampaign, type Upload } from './support/uploads.js';

const tagUrl = (creativeId: string) =>
  `https://www.amazon.com/dp/B0DEMO0001?maas=maas_adg_api_5823_static_9_129&ref_=aa_maas&tag=maas&aa_campaignid=16719043411&aa_adgroupid=135021988277&aa_creativeid=${creativeId}`;
const HANDLES = ['ava.styles', 'ben_bakes', 'chloe.fit', 'dev.daily'];

describe("influencers' own Amazon Attribution tags: redirects and per-influencer figures", () => {
  let stack: Stack;
  let c: SeededCampaign;
  const people = new Map<string, { influencerId: string; links: { purchase: string; review: string } }>();
  const post = (path: string, body: Upload, campaign = c) => postUpload(stack.apiUrl, campaign, path, body);
  const locationOf = async (link: string) =>
    (await fetch(link, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } })).headers.get('location');
  const person = (handle: string) =>
    people.get(handle) as { influencerId: string; links: { purchase: string; review: string } };

  beforeAll(async () => {
    // No campaign cache in ingest: a tag upload reaches the very next redirect (in production, within 30 s).
    stack = await createStack('apitags', { CAMPAIGN_CACHE_MS: '0' });
    c = await seedCampaign(stack, {
      productUrl: 'https://www.amazon.com/dp/B0DEMO0001',
      reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0DEMO0001',
    });
    for (const handle of HANDLES) people.set(handle, await c.signup(handle));
    await pollUntil(async () => (await c.summary()).body.total === HANDLES.length, { what: 'sign-ups applied' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses unknown handles, bad tag URLs and one creative for two influencers, naming each, and stores nothing', async () => {
    const unknown = await post('attribution-tags', {
      json: {
        tags: [
          { instagramHandle: 'ava.styles', url: tagUrl('9001') },
          { instagramHandle: '@Nobody.Here', url: tagUrl('9009') },
        ],
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: 'unknown_influencer',
      message: 'unknown influencer: @nobody.here',
      details: [{ path: 'body.tags.1.instagramHandle', message: '@nobody.here has not signed up to this campaign' }],
    });
    const badUrl = await post('attribution-tags', {
      csv: `instagramHandle,url\nava.styles,https://example.com/?aa_campaignid=1&aa_adgroupid=2&aa_creativeid=3\nben_bakes,${tagUrl('9002').replace('aa_adgroupid', 'x')}\n`,
    });
    expect(badUrl.body.error.details.map((d: { path: string; message: string }) => `${d.path}: ${d.message}`)).toEqual([
      'line 2.url: must be an Amazon URL (amazon.com, amazon.co.uk, …), not example.com',
      'line 3.url: must carry aa_adgroupid (copy the whole tag from Amazon Attribution)',
    ]);
    const shared = await post('attribution-tags', {
      json: {
        tags: [
          { instagramHandle: 'ava.styles', url: tagUrl('9001') },
          { instagramHandle: 'ben_bakes', url: tagUrl('9001') },
        ],
      },
    });
    expect(shared.body.error.details[0]).toMatchObject({
      path: 'body.tags.1.url',
      message: expect.stringMatching(/already @ava.styles's tag/),
    });
    expect(await locationOf(person('ava.styles').links.purchase)).toBe('https://www.amazon.com/dp/B0DEMO0001');
  });

  it('redirects each tagged influencer’s purchase link to its own tag (JSON and CSV uploads), the others to the product', async () => {
    const json = await post('attribution-tags', {
      json: {
        tags: [
          { instagramHandle: '@Ava.Styles', url: tagUrl('9001') },
          { instagramHandle: 'ben_bakes', url: tagUrl('9002') },
        ],
      },
    });
    expect(json).toMatchObject({ status: 200, body: { campaignId: c.campaignId, tags: 2 } });
    expect(
      (await post('attribution-tags', { csv: `instagramHandle,url\r\nchloe.fit,"${tagUrl('9003')}"\r\n` })).body,
    ).toMatchObject({ tags: 1 });

    expect(await locationOf(person('ava.styles').links.purchase)).toBe(tagUrl('9001'));
    expect(await locationOf(person('ben_bakes').links.purchase)).toBe(tagUrl('9002'));
    expect(await locationOf(person('chloe.fit').links.purchase)).toBe(tagUrl('9003'));
    expect(await locationOf(person('dev.daily').links.purchase)).toBe('https://www.amazon.com/dp/B0DEMO0001');
    expect(await locationOf(person('ava.styles').links.review)).toBe(
      'https://www.amazon.com/review/create-review?asin=B0DEMO0001',
    );

    // A creative already given to ava cannot go to dev; re-tagging ava herself replaces her tag.
    const clash = await post('attribution-tags', {
      json: { tags: [{ instagramHandle: 'dev.daily', url: tagUrl('9001') }] },
    });
    expect(clash.body.error.details[0].message).toMatch(/aa_creativeid 9001 is already @ava.styles's tag/);
    expect(
      (await post('attribution-tags', { json: { tags: [{ instagramHandle: 'ava.styles', url: tagUrl('9011') }] } }))
        .status,
    ).toBe(200);
    expect(await locationOf(person('ava.styles').links.purchase)).toBe(tagUrl('9011'));
    // The redirect still counts as the purchase click it is.
    await pollUntil(async () => (await c.influencer(person('ava.styles').influencerId)).body.purchaseClicks >= 1, {
      what: 'purchase click recorded',
    });
  });

  it('maps creative report rows to their influencers in the list, the detail and the CSV; masked rows show as masked', async () => {
    const rows = amazonApiReport([
      // ava: her current creative over two days
      {
        date: '2025-03-01',
        campaignId: '16719043411',
        adGroupId: '135021988277',
        creativeId: '9011',
        publisher: 'Instagram',
        clicks: 30,
        dpv: 25,
        atc: 5,
        purchases: 3,
        units: 4,
        sales: 191.95999999999998,
      },
      {
        date: '2025-03-02',
        campaignId: '16719043411',
        adGroupId: '135021988277',
        creativeId: '9011',
        publisher: 'Instagram',
        clicks: 12,
        dpv: 10,
        atc: 2,
        purchases: 1,
        units: 1,
        sales: 47.99,
      },
      // ben: 6 clicks in all, so Amazon shows zeros
      {
        date: '2025-03-01',
        campaignId: '16719043411',
        adGroupId: '135021988277',
        creativeId: '9002',
        publisher: 'Instagram',
        clicks: 6,
        dpv: 0,
        atc: 0,
        purchases: 0,
        units: 0,
        sales: 0,
      },
      // ava's old creative and a creative nobody holds: in the campaign's totals, nobody's figures
      {
        date: '2025-03-01',
        campaignId: '16719043411',
        adGroupId: '135021988277',
        creativeId: '9001',
        publisher: 'Instagram',
        clicks: 20,
        dpv: 10,
        atc: 1,
        purchases: 1,
        units: 1,
        sales: 20,
      },
      {
        date: '2025-03-01',
        campaignId: '16719043411',
        adGroupId: '135021988277',
        creativeId: '7777',
        publisher: 'Pinterest',
        clicks: 50,
        dpv: 20,
        atc: 4,
        purchases: 2,
        units: 2,
        sales: 40,
      },
    ]);
    expect(await post('attribution', { json: rows })).toMatchObject({ status: 200, body: { levels: { creative: 5 } } });

    const ava = { clickThroughs: 42, purchases: 4, unitsSold: 5, sales: 239.95, masked: false };
    const ben = { clickThroughs: 6, purchases: 0, unitsSold: 0, sales: 0, masked: true };
    const list = (await c.list()).body.items as { instagramHandle: string; attribution: unknown }[];
    expect(Object.fromEntries(list.map((i) => [i.instagramHandle, i.attribution]))).toEqual({
      'ava.styles': ava,
      ben_bakes: ben,
      'chloe.fit': null,
      'dev.daily': null,
    });
    expect((await c.influencer(person('ava.styles').influencerId)).body.attribution).toEqual(ava);
    expect((await c.influencer(person('ben_bakes').influencerId)).body.attribution).toEqual(ben);
    expect((await c.influencer(person('dev.daily').influencerId)).body.attribution).toBeNull();
    // a page holding only one tagged influencer reads only that one's figures
    expect((await c.list('?q=ben')).body.items[0].attribution).toEqual(ben);

    const csv = await fetch(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/influencers.csv`, {
      headers: { Authorization: `Bearer ${c.apiKey}` },
    });
    const [header, ...lines] = (await csv.text()).trim().split('\n');
    const columns = (header as string).split(',');
    const cell = (handle: string, column: string) =>
      lines.find((l) => l.split(',')[1] === handle)?.split(',')[columns.indexOf(column)];
    expect(columns).toEqual(
      expect.arrayContaining([
        'attributionClickThroughs',
        'attributionPurchases',
        'attributionUnitsSold',
        'attributionSales',
        'attributionMasked',
      ]),
    );
    expect(
      [
        'attributionClickThroughs',
        'attributionPurchases',
        'attributionUnitsSold',
        'attributionSales',
        'attributionMasked',
      ].map((k) => cell('ava.styles', k)),
    ).toEqual(['42', '4', '5', '239.95', 'false']);
    expect(cell('ben_bakes', 'attributionMasked')).toBe('true');
    expect(cell('dev.daily', 'attributionPurchases')).toBe('');

    // No campaign-level rows: the campaign's figures are the sum of every creative, tagged or not.
    expect((await c.summary()).body.attribution).toMatchObject({
      level: 'creative',
      purchases: 7,
      unitsSold: 8,
      sales: 299.95,
      clickThroughs: 118,
    });
  });

  it("keeps one brand's tag upload away from another brand's campaign", async () => {
    const other = await seedCampaign(stack);
    const foreign = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution-tags`, {
      method: 'POST',
      token: other.apiKey,
      json: { tags: [{ instagramHandle: 'ava.styles', url: tagUrl('1') }] },
    });
    expect(foreign.status).toBe(404);
    expect(await locationOf(person('ava.styles').links.purchase)).toBe(tagUrl('9011'));
  });
});
