import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, seedCampaign, type Stack } from '@seedline/testkit';
import { postUpload, row, type SeededCampaign } from './support/uploads.js';

/**
 * The summary reads totals summed when a report is stored, not every row ever uploaded: these check that the
 * kept totals are right after concurrent uploads and replaced days, and that the summary reads them alone.
 */
describe('attribution totals kept at upload', () => {
  let stack: Stack;
  let c: SeededCampaign;
  let conn: mongoose.Connection;
  beforeAll(async () => {
    stack = await createStack('apiattrtotals', {}, ['api']);
    c = await seedCampaign(stack);
    conn = await mongoose.createConnection(stack.env.MONGO_URL ?? '').asPromise();
  });
  afterAll(async () => {
    await conn?.close();
    await stack?.stop();
  });

  it('ends with the sum of every upload after concurrent uploads, and a re-uploaded day replaces its figures', async () => {
    const days = Array.from({ length: 12 }, (_, i) => `2025-06-${String(i + 1).padStart(2, '0')}`);
    const results = await Promise.all(
      days.map((day, i) =>
        postUpload(stack.apiUrl, c, 'attribution', { json: { rows: [row(day, i + 1, i + 1, 10)] } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(days.map(() => 200));
    let summary = (await c.summary()).body.attribution;
    expect(summary).toMatchObject({
      purchases: 78,
      sales: 120,
      reportedFrom: '2025-06-01',
      reportedThrough: '2025-06-12',
    });

    // Amazon revises a day: the new figures replace the old ones in the totals.
    await postUpload(stack.apiUrl, c, 'attribution', { json: { rows: [row('2025-06-01', 5, 5, 10)] } });
    summary = (await c.summary()).body.attribution;
    expect(summary).toMatchObject({ purchases: 82, reportedThrough: '2025-06-12' });
    expect(summary.difference).toBe(82 - summary.estimatedPurchases);
  });

  it('answers the summary from the kept totals, without reading the rows', async () => {
    const before = (await c.summary()).body.attribution;
    // Rows removed behind the api's back (nothing in Seedline does this): the summary does not notice, which
    // shows it no longer reads them; the next upload sums what is there again.
    await conn.collection('attribution').deleteMany({ campaignId: c.campaignId, from: { $ne: '2025-06-12' } });
    expect((await c.summary()).body.attribution).toEqual({ ...before });
    await postUpload(stack.apiUrl, c, 'attribution', { json: { rows: [row('2025-06-13', 1, 1, 1)] } });
    expect((await c.summary()).body.attribution).toMatchObject({ purchases: 13, reportedFrom: '2025-06-12' });
  });
});
