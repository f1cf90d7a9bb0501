import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allOrdersReport,
  fbaReturnsReport,
  moneyOutBySenderItem,
  pollUntil,
  request,
  seedCampaign,
  submitToken,
  type PayPalStandIn,
} from '@seedline/testkit';
import { payoutStack, waitForState, type PayoutStack } from './support/payouts.js';

const ASIN = 'B0CX7Q2M1N';
/** the orders report's default line is for this product (testkit's allOrdersReport) */
const PRODUCT = `https://www.amazon.com/Glow-Serum/dp/${ASIN}`;

/** What left at the stand-in for a reimbursement (money out, not come back). */
const payoutsOf = (standIn: PayPalStandIn, id: string) => moneyOutBySenderItem(standIn.ledger()).get(id) ?? [];

/**
 * Proofs of purchase checked against Amazon's own reports, through the real apps and a PayPal stand-in that
 * pays whatever the worker sends: with `requireOrderMatch`, an order number that is not in the brand's orders
 * report is never paid and one that is gets paid; a return recorded before the payout is sent is never paid.
 */
describe('order numbers matched to Amazon reports', { timeout: 240_000 }, () => {
  let p: PayoutStack;
  let c: Awaited<ReturnType<typeof seedCampaign>>;
  let n = 0;

  beforeAll(async () => {
    // Payout sweeps far apart: an approval by the orders report must queue its payout itself, not wait for one.
    p = await payoutStack('ordermatch', { PAYOUT_SWEEP_SECONDS: '600' });
    c = await seedCampaign(p.stack, {
      productUrl: PRODUCT,
      reviewUrl: `https://www.amazon.com/review/create-review?asin=${ASIN}`,
      reimbursement: { price: '20.00', currency: 'USD', approval: 'auto', requireOrderMatch: true },
    });
  });
  afterAll(async () => {
    await p?.stop();
  });

  const upload = (path: string, body: string) =>
    request(`${p.stack.apiUrl}${path}`, {
      method: 'POST',
      token: c.apiKey,
      body,
      headers: { 'Content-Type': 'text/plain' },
    });
  /** An influencer who posts and claims to have bought the product with this order number. */
  const claim = async (handle: string, orderId: string) => {
    const { influencerId, links } = await c.signup(handle);
    const res = await request(`${p.stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(links.submit),
        postUrl: `https://www.instagram.com/p/Order${String(++n).padStart(6, '0')}/`,
        orderId,
        amountPaid: '20.00',
        payoutEmail: `${handle.replace(/\W/g, '')}@payouts.example`,
      },
    });
    expect(res.status).toBe(202);
    return influencerId;
  };
  it('never pays a made-up order number, pays one the orders report holds, never pays a returned order', async () => {
    const real = '113-2233445-5566778';
    const returned = '113-9988776-6554433';
    const madeUp = '114-0000000-1111111';
    const late = '115-1212121-3434343';
    const ids = {
      real: await claim('real.buyer', real),
      returned: await claim('returns.it', returned),
      madeUp: await claim('made.up', madeUp),
    };
    // Before any report, every proof waits for the match, with the reason named.
    for (const id of Object.values(ids)) {
      const doc = await waitForState(p.repos, id, ['pending_review']);
      expect(doc.reason).toBe('order_not_in_report');
    }

    // The return is recorded before any payout: the reimbursement is returned (cancelled) and the handle blocked.
    const returns = await upload(
      '/v1/returns',
      fbaReturnsReport([{ orderId: returned, returnDate: '2026-11-28T10:00:00+00:00' }]),
    );
    expect(returns.status).toBe(200);
    expect(returns.body).toMatchObject({ matched: 1, blockedHandles: ['returns.it'] });
    await waitForState(p.repos, ids.returned, ['returned']);

    // The orders report holds the real order and the returned one, not the made-up number.
    const orders = await upload(
      '/v1/orders',
      allOrdersReport([
        { orderId: real, price: '19.99' },
        { orderId: returned, price: '19.99' },
        // no proof names it yet: an influencer sends it after the upload
        { orderId: late, price: '19.99' },
      ]),
    );
    expect(orders.status).toBe(200);
    expect(orders.body).toMatchObject({ report: 'all_orders', rows: 3, verified: 2, approved: 1 });

    // The real order is approved by the match and its payout sent at once (PayPal holds the money for the
    // payee; following the item to SUCCESS is the sweep's), once.
    const paid = await waitForState(p.repos, ids.real, ['sending', 'paid'], 20_000);
    await pollUntil(() => payoutsOf(p.standIn, ids.real).length > 0, { what: 'the payout at PayPal' });
    expect(paid.orderVerified).toMatchObject({ orderId: real, asin: ASIN, price: 1999, currency: 'USD' });
    expect(payoutsOf(p.standIn, ids.real)).toHaveLength(1);

    // A proof sent after the report that holds its order is matched as it arrives (the report's lines are kept).
    const lateId = await claim('late.buyer', late);
    const lateDoc = await waitForState(p.repos, lateId, ['sending', 'paid'], 20_000);
    expect(lateDoc.orderVerified).toMatchObject({ orderId: late, asin: ASIN, price: 1999 });
    await pollUntil(() => payoutsOf(p.standIn, lateId).length > 0, { what: 'the late proof paid at PayPal' });
    expect(payoutsOf(p.standIn, lateId)).toHaveLength(1);

    // Sent after the uploads, the others still are where the reports left them: the made-up number was never
    // approved (an approval is what a payout is sent for), the returned order never left returned.
    const madeUpDoc = await p.repos.reimbursements.findById(ids.madeUp);
    expect(madeUpDoc).toMatchObject({ state: 'pending_review', reason: 'order_not_in_report' });
    expect(madeUpDoc?.orderVerified ?? null).toBeNull();
    const returnedDoc = await p.repos.reimbursements.findById(ids.returned);
    expect(returnedDoc?.state).toBe('returned');
    expect(payoutsOf(p.standIn, ids.madeUp)).toEqual([]);
    expect(payoutsOf(p.standIn, ids.returned)).toEqual([]);
    // The timeline says why the made-up one waits.
    const moves = async (id: string) => (await p.repos.reimbursements.entries(id)).map((e) => `${e.from}>${e.to}`);
    // No move of either ever went where a payout is sent from.
    const paying = (m: string) => /^(?:approved|sending|paid)$/.test(m.split('>')[1] ?? '');
    for (const id of [ids.madeUp, ids.returned]) expect((await moves(id)).filter(paying), id).toEqual([]);
    expect((await moves(ids.returned)).at(-1)).toBe('pending_review>returned');
    const detail = await c.influencer(ids.madeUp);
    expect(detail.body.reimbursement).toMatchObject({ state: 'pending_review', reason: 'order_not_in_report' });
  });
});
