import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '@seedline/testkit';
import { dueInfluencer, payoutStack, reimbursingCampaign, waitForState, type PayoutStack } from './support/payouts.js';

/**
 * A PayPal payout taken back after it succeeded (REVERSED) is found by the sweep's reversal watch: the
 * reimbursement goes `paid → failed`, the brand's statement shows a `payout_reversed` line against the payout,
 * and the amount is back in the budget. One still paid is looked up and left as it is.
 */
describe('payout reversals (PayPal stand-in)', { timeout: 180_000 }, () => {
  let p: PayoutStack;
  beforeAll(async () => {
    p = await payoutStack('reversal', { PAYOUT_REVERSAL_CHECK_SECONDS: '1' });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('moves a reversed payout to failed, with a payout_reversed line; a kept one stays paid', async () => {
    const c = await reimbursingCampaign(p.stack);
    const taken = await dueInfluencer(p.stack, c, 'taken.back');
    const kept = await dueInfluencer(p.stack, c, 'kept.paid');
    await waitForState(p.repos, taken.influencerId, ['paid']);
    await waitForState(p.repos, kept.influencerId, ['paid']);
    const item = p.standIn.ledger().find((i) => i.senderItemId === taken.influencerId);
    expect(item?.payoutItemId).toBeTruthy();
    expect(p.standIn.setItemStatus(item?.payoutItemId as string, 'REVERSED')).toBe(true);

    const reversed = await waitForState(p.repos, taken.influencerId, ['failed'], 30_000);
    expect(reversed).toMatchObject({ reason: 'paypal_reversed', payout: { attempt: 1, final: true } });
    const entries = await p.repos.reimbursements.entries(taken.influencerId);
    expect(entries.at(-1)).toMatchObject({ from: 'paid', to: 'failed', source: 'payouts', amount: 2500 });

    // The kept one was looked up too (its checkedAt moves on) and is still paid.
    const before = (await p.repos.reimbursements.findById(kept.influencerId))?.payout as { checkedAt?: Date };
    await waitForState(p.repos, kept.influencerId, ['paid']);
    await new Promise((r) => setTimeout(r, 2500));
    const after = await p.repos.reimbursements.findById(kept.influencerId);
    expect(after?.state).toBe('paid');
    expect(new Date((after?.payout as { checkedAt: Date }).checkedAt).getTime()).toBeGreaterThan(
      new Date(before.checkedAt ?? 0).getTime(),
    );

    const week = (await request(`${p.stack.apiUrl}/v1/brand`, { token: c.apiKey })).body.currentWeek as string;
    const statement = await request(`${p.stack.apiUrl}/v1/statements/${week}`, { token: c.apiKey });
    const lines = statement.body.lines.map((l: Record<string, string>) => [l.type, l.instagramHandle, l.amount]);
    expect(lines).toEqual(
      expect.arrayContaining([
        ['payout', 'taken.back', '25.00'],
        ['payout_reversed', 'taken.back', '25.00'],
        ['payout', 'kept.paid', '25.00'],
      ]),
    );
    const summary = await request(`${p.stack.apiUrl}/v1/campaigns/${c.campaignId}/summary`, { token: c.apiKey });
    expect(summary.body.reimbursements.paid).toMatchObject({ count: 1, amount: '25.00' });
  });
});
