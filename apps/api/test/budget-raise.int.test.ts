import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, pollUntil, request, type Stack } from '@seedline/testkit';
import { moneyCampaign, orderId, postUrl } from './support/money.js';

/**
 * Automatic approvals past the budget wait in pending_review (reason over_budget); raising the budget approves
 * them again in id order until it is spent, and removing it approves the rest. No payout provider here: the
 * approved ones stay approved for a finance team, so the counts below are stable.
 */
describe('raising the budget retries the approvals that waited for it', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack('money-raise', { PAYOUT_PROVIDER: 'manual', REMINDER_SWEEP_SECONDS: '600' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('approves in id order up to the new budget, then the rest when the limit goes', async () => {
    const terms = { price: '10.00', shipping: '0', taxRate: '0', bonus: '0', currency: 'USD', approval: 'auto' };
    const c = await moneyCampaign(stack, { ...terms, budget: '25.00' });
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await c.signup(`raise.${i}`));
    for (const who of people) {
      const proof = { orderId: orderId(), amountPaid: '10.00', payoutEmail: 'p@example.com' };
      expect((await c.submit({ token: who.submitToken, postUrl: postUrl(), ...proof })).status).toBe(202);
    }
    const money = async () => (await c.get('/summary')).body.reimbursements;
    let seen: unknown;
    // Under the test's own timeout, so that a miss says what the summary and each reimbursement showed (one CI
    // run saw this wait last the whole minute; alone it takes under a second).
    await pollUntil(async () => ((seen = await money())?.pendingReview.count === 2 ? true : undefined), {
      what: 'two approved, two waiting for the budget',
      timeoutMs: 45_000,
    }).catch(async (err: Error) => {
      const items = (await c.get('/reimbursements')).body.items as { state: string; reason: string | null }[];
      const states = items.map((r) => `${r.state}${r.reason ? `/${r.reason}` : ''}`);
      throw new Error(`${err.message}; summary ${JSON.stringify(seen)}; reimbursements: ${states.join(', ')}`);
    });
    expect(await money()).toMatchObject({ approved: { count: 2, amount: '20.00' } });
    const waiting = (await c.get('/reimbursements?status=pending_review')).body.items as {
      id: string;
      reason: string;
    }[];
    expect(waiting.map((w) => w.reason)).toEqual(['over_budget', 'over_budget']);

    const patch = (budget: string | null) =>
      request(c.base, { method: 'PATCH', token: c.apiKey, json: { reimbursement: { ...terms, budget } } });
    expect((await patch('35.00')).status).toBe(200);
    expect(await money()).toMatchObject({ approved: { count: 3, amount: '30.00' }, pendingReview: { count: 1 } });
    const first = [...waiting].sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    const approved = (await c.get('/reimbursements?status=approved')).body.items as { id: string }[];
    expect(approved.map((a) => a.id)).toContain(first?.id);
    expect((await c.get('/summary')).body.budgetLeft).toBe('5.00');

    expect((await patch(null)).status).toBe(200);
    expect(await money()).toMatchObject({ approved: { count: 4, amount: '40.00' }, pendingReview: { count: 0 } });
  });
});
