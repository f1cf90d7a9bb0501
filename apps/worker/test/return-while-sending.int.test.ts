import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fbaReturnsReport, request } from '@seedline/testkit';
import { dueInfluencer, payoutStack, reimbursingCampaign, waitForState, type PayoutStack } from './support/payouts.js';

/**
 * A return found while the payout is being sent cannot cancel it (the money may already be on its way): it
 * waits, and the payouts worker applies it the moment the payout settles, as a credit on the brand's
 * statement, without anyone reading a statement or uploading another report.
 */
describe('a return found while its payout is in flight', { timeout: 120_000 }, () => {
  let p: PayoutStack;
  beforeAll(async () => {
    p = await payoutStack('returnflight');
    // Items stay PENDING at the stand-in for 3 s: long enough to record the return while the payout is in flight.
    p.standIn.setFaults({ settleMs: 3_000 });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('waits, then is applied by the worker as the payout settles', async () => {
    const c = await reimbursingCampaign(p.stack);
    const { influencerId } = await dueInfluencer(p.stack, c, 'in.flight');
    const sending = await waitForState(p.repos, influencerId, ['sending']);
    const orderId = sending.proof?.orderId as string;
    const res = await request(`${p.stack.apiUrl}/v1/returns`, {
      method: 'POST',
      token: c.apiKey,
      // The campaign's product (a row for another item of the order would return nothing).
      body: fbaReturnsReport([{ orderId, returnDate: '2026-11-30T09:00:00+00:00', asin: 'B000000001' }]),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ matched: 1, pendingPayouts: 1 });
    expect((await p.repos.reimbursements.findById(influencerId))?.state).toBe('sending');

    // No statement read, no other upload: the worker's settling of the payout applies the return.
    const returned = await waitForState(p.repos, influencerId, ['returned'], 30_000);
    const moves = (await p.repos.reimbursements.entries(influencerId)).map((e) => `${e.from}>${e.to}`);
    expect(moves.slice(-2)).toEqual(['sending>paid', 'paid>returned']);
    expect(returned.state).toBe('returned');
  });
});
