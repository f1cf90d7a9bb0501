import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, pollUntil, request, startApp, createStack, type RunningApp, type Stack } from '@seedline/testkit';
import { moneyCampaign, orderId, postUrl } from './support/money.js';

/**
 * The budget holds across processes: 50 approvals sent at once, half to each of two api processes, against
 * a budget for 20 approve exactly 20; the rest answer 409 over_budget and nothing is committed twice.
 */
describe('budget under concurrent approvals from two api processes', () => {
  let stack: Stack;
  let second: RunningApp;
  let secondUrl: string;
  beforeAll(async () => {
    stack = await createStack('money-budget', { REMINDER_SWEEP_SECONDS: '600' });
    const port = await freePort();
    secondUrl = `http://127.0.0.1:${port}`;
    second = await startApp('api', { ...stack.env, API_PORT: String(port) }, { port, label: 'money-budget-api-2' });
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('approves exactly 20 of 50', async () => {
    const c = await moneyCampaign(stack, {
      approval: 'review',
      price: '10.00',
      shipping: '0',
      taxRate: '0',
      bonus: '0.50',
      budget: '210.00',
    });
    const people = [];
    for (let i = 0; i < 50; i++) people.push(await c.signup(`budget.${i}`));
    for (const who of people) {
      const res = await c.submit({
        token: who.submitToken,
        postUrl: postUrl(),
        orderId: orderId(),
        amountPaid: '10.00',
        payoutEmail: 'p@example.com',
      });
      expect(res.status).toBe(202);
    }
    await pollUntil(
      async () => {
        const s = await c.get('/summary');
        return s.body.reimbursements?.pendingReview.count === 50 || undefined;
      },
      { what: '50 reimbursements pending review', timeoutMs: 60_000 },
    );
    const answers = await Promise.all(
      people.map((who, i) =>
        request(
          `${i % 2 ? secondUrl : stack.apiUrl}/v1/campaigns/${c.campaignId}/reimbursements/${who.influencerId}/approve`,
          {
            method: 'POST',
            token: c.apiKey,
          },
        ),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(30);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.code).toBe('over_budget');
    const summary = await c.get('/summary');
    expect(summary.body.reimbursements.approved).toEqual({ count: 20, amount: '210.00' });
    expect(summary.body.budgetLeft).toBe('0.00');
    const approved = await c.get('/reimbursements?status=approved&limit=500');
    expect(approved.body.items).toHaveLength(20);
  }, 240_000);
});
