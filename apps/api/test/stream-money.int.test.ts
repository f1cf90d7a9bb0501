import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, pollUntil, type Stack } from '@seedline/testkit';
import { moneyCampaign, orderId, postUrl } from './support/money.js';
import { SseReader } from './support/sse.js';

/**
 * A brand's approval moves the summary's money (approved count, budget left) without any status change: the
 * campaign's live stream still sends the fresh summary, and no status event with it.
 */
describe('live stream: a reimbursement move sends the summary', () => {
  let stack: Stack;
  let live: SseReader | undefined;
  beforeAll(async () => {
    stack = await createStack('stream-money', { REMINDER_SWEEP_SECONDS: '600' });
  });
  afterAll(async () => {
    await live?.close();
    await stack?.stop();
  });

  it('sends a summary with the approval counted after POST .../approve', async () => {
    const c = await moneyCampaign(stack, { approval: 'review', budget: '100.00' });
    const who = await c.signup('stream.money');
    const sent = await c.submit({
      token: who.submitToken,
      postUrl: postUrl(),
      orderId: orderId(),
      amountPaid: '20.00',
      payoutEmail: 'sm@example.com',
    });
    expect(sent.status).toBe(202);
    await pollUntil(async () => (await c.get('/summary')).body.reimbursements?.pendingReview.count === 1 || undefined, {
      what: 'the reimbursement waiting for review',
      timeoutMs: 30_000,
    });
    live = await SseReader.open(`${c.base}/stream`, { Authorization: `Bearer ${c.apiKey}` });
    const first = JSON.parse((await live.next((e) => e.event === 'summary')).data);
    expect(first.reimbursements.approved.count).toBe(0);

    const approved = await c.post(`/reimbursements/${who.influencerId}/approve`);
    expect(approved.status).toBe(200);
    const moved = await live.next(
      (e) => e.event === 'summary' && JSON.parse(e.data).reimbursements.approved.count === 1,
    );
    const summary = JSON.parse(moved.data);
    expect(summary.reimbursements.pendingReview.count).toBe(0);
    expect(summary.budgetLeft).not.toBe(first.budgetLeft);
    // The move is no status change: nothing but summaries (and heartbeats) came after the first.
    expect(live.events.filter((e) => e.event === 'status')).toEqual([]);
  }, 120_000);
});
