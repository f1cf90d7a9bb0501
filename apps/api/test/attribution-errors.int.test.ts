import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amazonApiReport, consoleExportCsv, createStack, request, seedCampaign, type Stack } from '@seedline/testkit';
import { figures, HEADER, postUpload, row, type SeededCampaign, type Upload } from './support/uploads.js';

describe('Amazon Attribution upload: what is refused, and that a refused upload stores nothing', () => {
  let stack: Stack;
  let c: SeededCampaign;
  const upload = (body: Upload) => postUpload(stack.apiUrl, c, 'attribution', body);

  beforeAll(async () => {
    stack = await createStack('apiattributionerr', {}, ['api']);
    c = await seedCampaign(stack);
    // What is stored before the refused uploads: each test checks it is still all there is.
    const stored = await upload({ json: { rows: [row('2025-03-01', 3, 4, 59.97), row('2025-03-03', 1, 1, 19.99)] } });
    expect(stored).toMatchObject({ status: 200, body: { reportedThrough: '2025-03-03' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('rejects a bad JSON row naming the row and field, and stores nothing from that upload', async () => {
    const res = await upload({
      json: {
        rows: [
          row('2025-04-01', 1, 1, 1),
          { ...row('2025-04-02', 1, 1, 1), purchases: -2 },
          row('2025-13-01', 1, 1, 1),
        ],
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(['body.rows.1.purchases', 'body.rows.2.date']);
    const amazon = await upload({
      json: amazonApiReport([
        { date: '2025-04-03', ...figures(1, 1, 1, 1) },
        { date: '2025-04-04', ...figures(1, 1, 1, 1), sales: Number.NaN, totalSales: 1 },
      ]),
    });
    expect(amazon.body.error.details).toEqual([
      { path: 'body.reports.1.attributedSales14d', message: '"NaN" is not a number' },
    ]);
    expect((await c.summary()).body.attribution.reportedThrough).toBe('2025-03-03');
  });

  it('rejects a bad CSV line naming the line and the column, and stores nothing', async () => {
    const res = await upload({ csv: `${HEADER}\n2025-04-01,1,1,1,1,1,1\n2025-04-02,1,1,1,lots,1,1\n` });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'line 3.purchases' })]);
    expect(res.body.error.message).toMatch(/^line 3\.purchases/);

    const exported = consoleExportCsv('2025-06-01', '2025-06-30', [
      { campaign: 'Spring Glow', adGroup: 'Creators', publisher: 'Instagram', ...figures(10, 1, 1, 10) },
    ]);
    const bad = await upload({ csv: exported.replace('"$10.00"', '"ten dollars"') });
    expect(bad.body.error).toMatchObject({
      code: 'invalid_request',
      details: [{ path: 'line 5.Product sales', message: '"ten dollars" is not a number' }],
    });

    const ragged = await upload({ csv: `${HEADER}\n2025-04-01,1,1\n` });
    expect(ragged.status).toBe(400);
    expect(ragged.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'line 2.purchases',
      'line 2.unitsSold',
      'line 2.sales',
    ]);
    const unclosed = await upload({ csv: `${HEADER}\n2025-04-01,"1,1,1,1,1,1\n` });
    expect(unclosed.body.error.code).toBe('invalid_csv');
    expect((await c.summary()).body.attribution.reportedThrough).toBe('2025-03-03');
  });

  it('answers a file without a recognisable header with 400 listing the columns expected', async () => {
    const none = await upload({ csv: 'handle,colour\nava,red\n' });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('unrecognised_report');
    expect(none.body.error.message).toMatch(/date, clicks, detailPageViews, addToCarts, purchases, unitsSold, sales/);
    expect(none.body.error.message).toMatch(/Click-throughs, attributedDetailPageViewsClicks14d/);
    expect(none.body.error.message).toMatch(/Campaign, Ad group, Publisher, Click-throughs, DPV, ATC, Purchases/);
    const missing = await upload({ csv: 'date,clicks\n2025-04-01,1\n' });
    expect(missing.body.error.message).toMatch(/^header is missing: purchases .*unitsSold .*sales/);
    const envelope = await upload({ json: { data: [] } });
    expect(envelope.body.error).toMatchObject({ code: 'unrecognised_report', details: [{ path: 'body' }] });
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
    expect((await upload({ json: { reports: [], cursorId: null } })).status).toBe(400);
    expect((await upload({ csv: `${HEADER}\n` })).status).toBe(400);
  });

  it('answers 413 naming the limit to an upload over 8 MB, 10,000 rows or its JSON value budget, and stores nothing', async () => {
    const overBytes = await upload({ csv: `${HEADER}\n${'\n'.repeat(8 * 1024 * 1024)}` });
    expect(overBytes.status).toBe(413);
    expect(overBytes.body.error).toMatchObject({ code: 'payload_too_large', details: [{ path: 'body' }] });
    expect(overBytes.body.error.message).toContain('8 MB');

    const lines = Array.from({ length: 10_001 }, (_, i) => `2025-05-01,${i % 7},1,1,1,1,1.00`);
    const overRows = await upload({ csv: `${HEADER}\n${lines.join('\n')}\n` });
    expect(overRows.status).toBe(413);
    expect(overRows.body.error.code).toBe('payload_too_large');
    expect(overRows.body.error.message).toContain('10000');

    const overValues = await upload({ json: { rows: Array.from({ length: 500_000 }, () => 0) } });
    expect(overValues.status).toBe(413);
    expect(overValues.body.error.message).toContain('JSON values');

    const tags = await postUpload(stack.apiUrl, c, 'attribution-tags', {
      csv: `handle,tag\n${'\n'.repeat(8 * 1024 * 1024)}`,
    });
    expect(tags.status).toBe(413);
    expect((await c.summary()).body.attribution.reportedThrough).toBe('2025-03-03');
  });
});
