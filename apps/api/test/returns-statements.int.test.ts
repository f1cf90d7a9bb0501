import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo } from '@seedline/db';
import { addWeeks, formatWeek, weekBounds } from '@seedline/domain';
import {
  createStack,
  fbaReturnsReport,
  request,
  seedCampaign,
  sellerReturnsReport,
  TEST_SECRETS,
  type Stack,
} from '@seedline/testkit';
import { ledgerDriver } from './support/ledger.js';

const PRODUCT = 'https://www.amazon.com/Glow-Serum/dp/B0CX7Q2M1N';
const REIMBURSEMENT = { price: '24.99', currency: 'USD', approval: 'auto' };

describe('returns, blocked influencers and weekly statements', () => {
  let stack: Stack;
  let conn: mongoose.Connection;
  let ledger: ReturnType<typeof ledgerDriver>;
  let brand: Awaited<ReturnType<typeof seedCampaign>>;
  let other: Awaited<ReturnType<typeof seedCampaign>>;
  const ids: Record<string, string> = {};

  const upload = (key: string, path: string, body: string, type = 'text/plain') =>
    request(`${stack.apiUrl}${path}`, { method: 'POST', token: key, body, headers: { 'Content-Type': type } });
  const get = (key: string, path: string) => request(`${stack.apiUrl}${path}`, { token: key });
  const csv = async (key: string, week: string) =>
    (await fetch(`${stack.apiUrl}/v1/statements/${week}.csv`, { headers: { Authorization: `Bearer ${key}` } })).text();

  beforeAll(async () => {
    stack = await createStack('apireturns', {}, ['api', 'ingest']);
    conn = await connectMongo(stack.env.MONGO_URL as string);
    ledger = ledgerDriver(conn);
    brand = await seedCampaign(stack, { name: 'Spring Glow', productUrl: PRODUCT, reimbursement: REIMBURSEMENT });
    other = await seedCampaign(stack, { name: 'Other brand', productUrl: PRODUCT, reimbursement: REIMBURSEMENT });
    // approved, not sent: a return cancels it
    ids.early = await ledger.due(brand.campaignId, 'early.bird', '111-0000001-0000001');
    // paid this week: a return is a credit
    ids.paid = await ledger.due(brand.campaignId, 'paid.one', '111-0000002-0000002', 3000);
    await ledger.pay(ids.paid, 'PAYOUT-PAID-1');
    // a second claim of the paid order (held as a duplicate): the return returns both, not one of them
    ids.dup = await ledger.due(brand.campaignId, 'dup.claim', '111-0000002-0000002');
    // paid, never returned
    ids.kept = await ledger.due(brand.campaignId, 'kept.one', '111-0000003-0000003');
    await ledger.pay(ids.kept, 'PAYOUT-KEPT-1');
    // being sent when the return arrives
    ids.sending = await ledger.due(brand.campaignId, 'in.flight', '111-0000004-0000004');
    await ledger.pay(ids.sending, 'PAYOUT-FLIGHT-1', { confirm: false });
    // another brand's influencer with an order number that appears in our report
    ids.foreign = await ledger.due(other.campaignId, 'foreign.one', '111-0000005-0000005');
  });
  afterAll(async () => {
    await conn?.close();
    await stack?.stop();
  });

  const REPORT = () =>
    fbaReturnsReport([
      { orderId: '111-0000001-0000001', returnDate: '2026-12-01T09:12:44+00:00' },
      { orderId: '111-0000002-0000002', returnDate: '2026-12-01T10:00:00-08:00' },
      { orderId: '111-0000004-0000004', returnDate: '2026-12-01T11:00:00+00:00' },
      { orderId: '111-0000005-0000005', returnDate: '2026-12-01T12:00:00+00:00' },
      { orderId: '999-9999999-9999999', returnDate: '2026-12-01T13:00:00+00:00' },
      // kept.one's order, but another product of it: not the campaign's, so nothing is returned
      { orderId: '111-0000003-0000003', returnDate: '2026-12-01T14:00:00+00:00', asin: 'B0OTHER001' },
    ]);

  it('refuses a malformed report naming line and column, and stores nothing', async () => {
    const bad = REPORT().replace('111-0000002-0000002', '111-00000020000002');
    const res = await upload(brand.apiKey, '/v1/returns', bad);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_report', details: [{ path: 'line 3.order-id' }] });
    expect(await ledger.state(ids.early)).toBe('approved');
    const orders = await upload(
      brand.apiKey,
      '/v1/returns',
      'amazon-order-id\tpurchase-date\torder-status\tasin\tquantity\tcurrency\titem-price\n',
    );
    expect(orders.body.error.code).toBe('wrong_report');
    expect((await upload(brand.apiKey, '/v1/returns', REPORT(), 'application/json')).status).toBe(415);
  });

  it('refuses a 50 MB upload with 413 naming the limit', async () => {
    const big = REPORT() + `${'x'.repeat(1023)}\n`.repeat(50 * 1024);
    const res = await upload(brand.apiKey, '/v1/returns', big);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('20 MB') });
    expect(await ledger.state(ids.early)).toBe('approved');
  });

  it("matches the brand's own order numbers only: cancels unpaid, credits paid, waits for one being sent", async () => {
    const res = await upload(brand.apiKey, '/v1/returns', REPORT());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ report: 'fba_returns', rows: 6, matched: 3, unmatched: 3, pendingPayouts: 1 });
    expect(
      res.body.returned.map((r: { instagramHandle: string; from: string }) => [r.instagramHandle, r.from]).sort(),
    ).toEqual([
      ['dup.claim', 'held'],
      ['early.bird', 'approved'],
      ['paid.one', 'paid'],
    ]);
    expect(res.body.blockedHandles).toEqual(['dup.claim', 'early.bird', 'in.flight', 'paid.one']);
    expect(await ledger.state(ids.early)).toBe('returned');
    expect(await ledger.state(ids.paid)).toBe('returned');
    expect(await ledger.state(ids.dup)).toBe('returned');
    expect(await ledger.state(ids.sending)).toBe('sending');
    expect(await ledger.state(ids.foreign)).toBe('approved');
    expect(await ledger.state(ids.kept)).toBe('paid');
    // On the timeline and in the list.
    const detail = await brand.influencer(ids.early as string);
    expect(detail.body.timeline.some((t: { detail: string }) => /approved → returned/.test(t.detail))).toBe(true);
    const list = await brand.list();
    const early = list.body.items.find((i: { id: string }) => i.id === ids.early);
    expect(early.reimbursement).toMatchObject({ state: 'returned' });
  });

  it('changes nothing when the same report is uploaded again (the seller-fulfilled report too)', async () => {
    const before = await get(brand.apiKey, '/v1/statements/' + (await get(brand.apiKey, '/v1/brand')).body.currentWeek);
    const again = await upload(brand.apiKey, '/v1/returns', REPORT());
    expect(again.body).toMatchObject({ matched: 3, unmatched: 3, returned: [] });
    const seller = await upload(brand.apiKey, '/v1/returns', sellerReturnsReport([{ orderId: '111-0000002-0000002' }]));
    expect(seller.body).toMatchObject({ report: 'seller_returns', matched: 1, returned: [] });
    const after = await get(brand.apiKey, `/v1/statements/${before.body.week}`);
    expect(after.body).toEqual(before.body);
  });

  it('answers 409 influencer_blocked to a returned handle signing up to any campaign of the brand, not another brand', async () => {
    const second = await request(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      token: brand.apiKey,
      json: { name: 'Second', productUrl: PRODUCT, reviewUrl: PRODUCT },
    });
    const signup = (campaignId: string, handle: string) =>
      request(`${stack.ingestUrl}/v1/signups`, {
        method: 'POST',
        token: TEST_SECRETS.INGEST_TOKEN,
        json: { campaignId, instagramHandle: handle },
      });
    for (const handle of ['early.bird', '@Paid.One']) {
      const res = await signup(second.body.id, handle);
      expect(res.status, handle).toBe(409);
      expect(res.body.error.code).toBe('influencer_blocked');
    }
    expect((await signup(second.body.id, 'kept.one')).status).toBe(202);
    expect((await signup(other.campaignId, 'early.bird')).status).toBe(202);
  });

  it('puts payouts and the return credit on this week’s statement, totals to the cent', async () => {
    const week = (await get(brand.apiKey, '/v1/brand')).body.currentWeek as string;
    const s = await get(brand.apiKey, `/v1/statements/${week}`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ week, timezone: 'UTC', closed: false });
    const lines = s.body.lines.map((l: Record<string, string>) => [
      l.type,
      l.instagramHandle,
      l.orderId,
      l.amount,
      l.providerReference,
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['payout', 'paid.one', '111-0000002-0000002', '24.99', 'PAYOUT-PAID-1'],
        ['payout', 'kept.one', '111-0000003-0000003', '24.99', 'PAYOUT-KEPT-1'],
        ['return_credit', 'paid.one', '111-0000002-0000002', '24.99', 'PAYOUT-PAID-1'],
      ]),
    );
    expect(lines).toHaveLength(3);
    expect(s.body.totals.byCurrency).toEqual([
      { currency: 'USD', payouts: { count: 2, amount: '49.98' }, credits: { count: 1, amount: '24.99' }, net: '24.99' },
    ]);
    expect(s.body.totals.byCampaign).toEqual([
      expect.objectContaining({ campaignId: brand.campaignId, campaignName: 'Spring Glow', net: '24.99' }),
    ]);
    // The other brand sees none of it.
    const theirs = await get(other.apiKey, `/v1/statements/${week}`);
    expect(theirs.body.lines).toEqual([]);
  });

  it('applies a return that waited for its payout once the payout settles, as a credit', async () => {
    await ledger.repos.reimbursements.transition(ids.sending as string, {
      from: ['sending'],
      to: 'paid',
      source: 'payouts',
      providerRef: 'PAYOUT-FLIGHT-1',
    });
    const week = (await get(brand.apiKey, '/v1/brand')).body.currentWeek as string;
    const s = await get(brand.apiKey, `/v1/statements/${week}`);
    const flight = s.body.lines.filter((l: { instagramHandle: string }) => l.instagramHandle === 'in.flight');
    expect(flight.map((l: { type: string }) => l.type)).toEqual(['payout', 'return_credit']);
    expect(await ledger.state(ids.sending)).toBe('returned');
    expect(s.body.totals.byCurrency[0].net).toBe('24.99');
  });

  it('freezes a closed week: its CSV is the same bytes after later events and a campaign rename', async () => {
    // A payout recorded last week (the ledger's history), then a return of it found this week.
    const current = (await get(brand.apiKey, '/v1/brand')).body.currentWeek as string;
    const [y, w] = current.split('-W').map(Number) as [number, number];
    const previous = addWeeks({ year: y, week: w }, -1);
    const bounds = weekBounds([], previous);
    const id = await ledger.due(brand.campaignId, 'last.week', '111-0000006-0000006');
    const at = new Date(bounds.start + 36 * 3_600_000);
    await conn.collection('reimbursement_entries').insertOne({
      _id: `${id}-90`,
      reimbursementId: id,
      campaignId: brand.campaignId,
      brandId: brand.brandId,
      influencerId: id,
      rev: 90,
      at,
      from: 'sending',
      to: 'paid',
      amount: 2499,
      committedDelta: 0,
      currency: 'USD',
      source: 'payouts',
      reason: null,
      providerRef: 'PAYOUT-LAST-WEEK',
      attempt: null,
      notice: null,
    } as never);
    await conn.collection('reimbursements').updateOne({ _id: id as never }, { $set: { state: 'paid' } });
    const key = formatWeek(previous);
    const first = await csv(brand.apiKey, key);
    expect(first).toContain('payout,');
    expect(first).toContain('PAYOUT-LAST-WEEK');
    expect((await get(brand.apiKey, `/v1/statements/${key}`)).body.closed).toBe(true);

    await upload(
      brand.apiKey,
      '/v1/returns',
      fbaReturnsReport([{ orderId: '111-0000006-0000006', returnDate: '2026-12-02T08:00:00+00:00' }]),
    );
    await request(`${stack.apiUrl}/v1/campaigns/${brand.campaignId}`, {
      method: 'PATCH',
      token: brand.apiKey,
      json: { name: 'Renamed' },
    });
    expect(await csv(brand.apiKey, key)).toBe(first);
    const now = await get(brand.apiKey, `/v1/statements/${current}`);
    expect(
      now.body.lines.some(
        (l: { type: string; orderId: string }) => l.type === 'return_credit' && l.orderId === '111-0000006-0000006',
      ),
    ).toBe(true);

    const list = await get(brand.apiKey, `/v1/statements?from=${key}&to=${current}`);
    expect(list.body.items.map((i: { week: string; lines: number }) => i.week)).toEqual([key, current]);
    expect(list.body.items[0]).toMatchObject({ closed: true, lines: 1 });
  });

  it('answers 400 for a malformed week and 404 for a week not yet started', async () => {
    expect((await get(brand.apiKey, '/v1/statements/2026-W54')).body.error.details[0].path).toBe('params.week');
    expect((await get(brand.apiKey, '/v1/statements/2099-W01')).status).toBe(404);
    expect((await get(brand.apiKey, '/v1/statements?from=2020-W01&to=2026-W01')).status).toBe(400);
  });
});
