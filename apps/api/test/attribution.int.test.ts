import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, request, seedCampaign, type Stack } from '@seedline/testkit';

const row = (date: string, purchases: number, unitsSold: number, sales: number) => ({
  date,
  clicks: 100,
  detailPageViews: 60,
  addToCarts: 10,
  purchases,
  unitsSold,
  sales,
});
const HEADER = 'date,clicks,detailPageViews,addToCarts,purchases,unitsSold,sales';

describe('Amazon Attribution upload (JSON and CSV) and the summary comparison', () => {
  let stack: Stack;
  let c: Awaited<ReturnType<typeof seedCampaign>>;
  const upload = (body: { json?: unknown; csv?: string }) =>
    request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution`, {
      method: 'POST',
      token: c.apiKey,
      ...(body.csv !== undefined ? { headers: { 'Content-Type': 'text/csv' }, body: body.csv } : { json: body.json }),
    });

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

  it('stores JSON rows and reports totals, the latest date and the difference to the click estimate', async () => {
    const res = await upload({ json: { rows: [row('2025-03-01', 3, 4, 59.97), row('2025-03-02', 2, 2, 39.98)] } });
    expect(res).toMatchObject({ status: 200, body: { campaignId: c.campaignId, rows: 2 } });
    const attribution = (await c.summary()).body.attribution;
    expect(attribution).toMatchObject({ purchases: 5, unitsSold: 6, sales: 99.95, reportedThrough: '2025-03-02', estimatedPurchases: 0, difference: 5 });
    expect(attribution.explanation).toMatch(/48 h/);
  });

  it('replaces a re-uploaded date (CSV), keeps the others, and lets the last row of a date win within one upload', async () => {
    const csv = `${HEADER}\n2025-03-02,90,50,9,7,8,139.93\n2025-03-03,10,5,1,1,1,19.99\n2025-03-03,10,5,1,2,2,39.98\n`;
    const res = await upload({ csv });
    expect(res).toMatchObject({ status: 200, body: { rows: 2 } });
    const attribution = (await c.summary()).body.attribution;
    // 03-01 (3) + 03-02 replaced (7) + 03-03 last row (2)
    expect(attribution).toMatchObject({ purchases: 12, unitsSold: 14, reportedThrough: '2025-03-03' });
    expect(attribution.sales).toBeCloseTo(59.97 + 139.93 + 39.98, 2);
  });

  it('rejects a bad JSON row naming the row and field, and stores nothing from that upload', async () => {
    const res = await upload({ json: { rows: [row('2025-04-01', 1, 1, 1), { ...row('2025-04-02', 1, 1, 1), purchases: -2 }, row('2025-13-01', 1, 1, 1)] } });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(['body.rows.1.purchases', 'body.rows.2.date']);
    expect((await c.summary()).body.attribution.reportedThrough).toBe('2025-03-03');
  });

  it('rejects a bad CSV line naming the line (the header is line 1)', async () => {
    const res = await upload({ csv: `${HEADER}\n2025-04-01,1,1,1,1,1,1\n2025-04-02,1,1,1,lots,1,1\n` });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'line 3.purchases' })]);
    expect(res.body.error.message).toMatch(/^line 3\.purchases/);

    const missing = await upload({ csv: 'date,clicks\n2025-04-01,1\n' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/missing: detailPageViews, addToCarts, purchases, unitsSold, sales/);
    const ragged = await upload({ csv: `${HEADER}\n2025-04-01,1,1\n` });
    expect(ragged.status).toBe(400);
    expect(ragged.body.error.code).toBe('invalid_csv');
    expect((await c.summary()).body.attribution.reportedThrough).toBe('2025-03-03');
  });

  it('answers 415 to another content type and 400 to an empty upload', async () => {
    const xml = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution`, {
      method: 'POST',
      token: c.apiKey,
      headers: { 'Content-Type': 'application/xml' },
      body: '<rows/>',
    });
    expect(xml.status).toBe(415);
    expect((await upload({ json: { rows: [] } })).status).toBe(400);
    expect((await upload({ csv: `${HEADER}\n` })).status).toBe(400);
  });
});
