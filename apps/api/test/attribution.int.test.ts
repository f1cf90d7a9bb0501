import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  amazonApiReport,
  amazonApiReportCsv,
  consoleExportCsv,
  createStack,
  seedCampaign,
  type Stack,
} from '@seedline/testkit';
import { figures, HEADER, postUpload, row, type SeededCampaign, type Upload } from './support/uploads.js';

describe('Amazon Attribution upload: our format, the Ads API report (JSON and CSV), the console export', () => {
  let stack: Stack;
  let c: SeededCampaign;
  const uploadTo = (campaign: SeededCampaign, body: Upload) => postUpload(stack.apiUrl, campaign, 'attribution', body);
  const upload = (body: Upload) => uploadTo(c, body);

  beforeAll(async () => {
    stack = await createStack('apiattribution', {}, ['api']);
    c = await seedCampaign(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('has no attribution before an upload', async () => {
    expect((await c.summary()).body.attribution).toBeNull();
  });

  it('stores our JSON rows and reports totals, the latest date and the difference to the click estimate', async () => {
    const res = await upload({ json: { rows: [row('2025-03-01', 3, 4, 59.97), row('2025-03-02', 2, 2, 39.98)] } });
    expect(res).toMatchObject({
      status: 200,
      body: {
        campaignId: c.campaignId,
        rows: 2,
        levels: { campaign: 2, adGroup: 0, creative: 0 },
        reportedThrough: '2025-03-02',
      },
    });
    const attribution = (await c.summary()).body.attribution;
    expect(attribution).toMatchObject({
      level: 'campaign',
      purchases: 5,
      unitsSold: 6,
      sales: 99.95,
      clickThroughs: 200,
      reportedFrom: '2025-03-01',
      reportedThrough: '2025-03-02',
      estimatedPurchases: 0,
      difference: 5,
    });
    expect(attribution.explanation).toMatch(/48 h/);
  });

  it('replaces a re-uploaded date (CSV), keeps the others, and lets the last row of a date win within one upload', async () => {
    const csv = `${HEADER}\n2025-03-02,90,50,9,7,8,139.93\n2025-03-03,10,5,1,1,1,19.99\n2025-03-03,10,5,1,2,2,39.98\n`;
    const res = await upload({ csv });
    // 03-02 was stored by the first upload: replaced in place, and said so (03-03 is new).
    expect(res).toMatchObject({ status: 200, body: { rows: 2, replaced: 1 } });
    const attribution = (await c.summary()).body.attribution;
    // 03-01 (3) + 03-02 replaced (7) + 03-03 last row (2)
    expect(attribution).toMatchObject({ purchases: 12, unitsSold: 14, reportedThrough: '2025-03-03' });
    expect(attribution.sales).toBeCloseTo(59.97 + 139.93 + 39.98, 2);
  });

  it('reads the Ads API answer as Amazon sends it: creative rows add up until campaign rows arrive, never both', async () => {
    const api = await seedCampaign(stack);
    const creatives = amazonApiReport(
      [
        {
          date: '2025-03-01',
          campaignId: '16719043411',
          adGroupId: '135021988277',
          creativeId: '9001',
          publisher: 'Instagram',
          ...figures(30, 3, 4, 191.95999999999998),
          totalPurchases: 4,
          totalUnits: 5,
          totalSales: 221.95,
        },
        {
          date: '2025-03-01',
          campaignId: '16719043411',
          adGroupId: '135021988277',
          creativeId: '9002',
          publisher: 'Instagram',
          ...figures(5, 0, 0, 0),
        },
        {
          date: '2025-03-02',
          campaignId: '16719043411',
          adGroupId: '135021988277',
          creativeId: '9001',
          publisher: 'Instagram',
          ...figures(12, 1, 1, 47.99),
        },
      ],
      'cursor-2',
    );
    expect(creatives.reports[0]).toMatchObject({
      date: '20250301',
      attributedSales14d: '191.95999999999998',
      'Click-throughs': '30',
    });
    expect(await uploadTo(api, { json: creatives })).toMatchObject({
      status: 200,
      body: { rows: 3, levels: { creative: 3 } },
    });
    expect((await api.summary()).body.attribution).toMatchObject({
      level: 'creative',
      purchases: 4,
      unitsSold: 5,
      sales: 239.95,
      clickThroughs: 47,
      reportedThrough: '2025-03-02',
      withBrandHalo: { purchases: 5, unitsSold: 6, sales: 269.94 },
    });

    // Amazon restates 03-01 for creative 9001 a week later: the new figures replace the old ones.
    const restated = amazonApiReport([
      {
        date: '2025-03-01',
        campaignId: '16719043411',
        adGroupId: '135021988277',
        creativeId: '9001',
        ...figures(31, 5, 6, 299.95),
      },
    ]);
    expect((await uploadTo(api, { json: restated.reports })).status).toBe(200); // a bare array
    expect((await api.summary()).body.attribution).toMatchObject({
      level: 'creative',
      purchases: 6,
      unitsSold: 7,
      sales: 347.94,
    });

    // Campaign-level rows (groupBy CAMPAIGN, brb_bonus_amount included) become the totals on their own.
    const campaignRows = amazonApiReport([
      { date: '2025-03-01', campaignId: '16719043411', ...figures(40, 5, 6, 300), brb: 14.280000000000001 },
      { date: '2025-03-02', campaignId: '16719043411', ...figures(12, 1, 1, 47.99), brb: 0 },
    ]);
    expect(await uploadTo(api, { json: campaignRows })).toMatchObject({
      status: 200,
      body: { levels: { campaign: 2, creative: 0 } },
    });
    expect((await api.summary()).body.attribution).toMatchObject({
      level: 'campaign',
      purchases: 6,
      unitsSold: 7,
      sales: 347.99,
      clickThroughs: 52,
      brandReferralBonus: 14.28,
    });
  });

  it('reads the same fields as CSV', async () => {
    const csvCampaign = await seedCampaign(stack);
    const csv = amazonApiReportCsv([
      { date: '2025-04-01', campaignId: '777', ...figures(1057, 41, 52, 1179.9399999999998) },
      { date: '2025-04-02', campaignId: '777', ...figures(230, 6, 7, 209.93) },
    ]);
    expect(csv.split('\n')[0]).toContain('attributedPurchases14d');
    expect(await uploadTo(csvCampaign, { csv })).toMatchObject({
      status: 200,
      body: { rows: 2, levels: { campaign: 2 } },
    });
    expect((await csvCampaign.summary()).body.attribution).toMatchObject({
      level: 'campaign',
      purchases: 47,
      unitsSold: 59,
      sales: 1389.87,
      reportedFrom: '2025-04-01',
      reportedThrough: '2025-04-02',
    });
  });

  it('reads the console export (BOM, title and date-range lines, "$1,179.94" and "1,057", Total row skipped)', async () => {
    const consoleCampaign = await seedCampaign(stack);
    const csv = consoleExportCsv('2025-05-01', '2025-05-31', [
      {
        campaign: 'Spring Glow',
        adGroup: 'Creators',
        publisher: 'Instagram',
        ...figures(1057, 41, 52, 1179.94),
        totalPurchases: 47,
      },
      { campaign: 'Spring Glow', adGroup: 'Stories', publisher: 'Instagram', ...figures(230, 6, 7, 209.93) },
    ]);
    expect(csv).toMatch(/^\ufeff"Amazon Attribution/);
    expect(csv).toContain('"$1,179.94"');
    expect(csv).toMatch(/"Total",/);
    const res = await uploadTo(consoleCampaign, { csv });
    expect(res).toMatchObject({
      status: 200,
      body: { rows: 2, levels: { adGroup: 2 }, reportedFrom: '2025-05-01', reportedThrough: '2025-05-31' },
    });
    expect((await consoleCampaign.summary()).body.attribution).toMatchObject({
      level: 'adGroup',
      purchases: 47,
      unitsSold: 59,
      sales: 1389.87,
      clickThroughs: 1287,
      withBrandHalo: { purchases: 53, unitsSold: null, sales: null },
      reportedFrom: '2025-05-01',
      reportedThrough: '2025-05-31',
    });

    // The same month exported again after Amazon restated it replaces the first export.
    const again = consoleExportCsv('2025-05-01', '2025-05-31', [
      { campaign: 'Spring Glow', adGroup: 'Creators', publisher: 'Instagram', ...figures(1100, 44, 55, 1250) },
      { campaign: 'Spring Glow', adGroup: 'Stories', publisher: 'Instagram', ...figures(230, 6, 7, 209.93) },
    ]);
    expect((await uploadTo(consoleCampaign, { csv: again })).status).toBe(200);
    expect((await consoleCampaign.summary()).body.attribution).toMatchObject({
      purchases: 50,
      unitsSold: 62,
      sales: 1459.93,
    });
  });
});
