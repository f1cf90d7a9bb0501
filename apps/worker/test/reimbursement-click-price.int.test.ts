import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, createStack, pollUntil, request, seedCampaign, submitToken, type Stack } from '@seedline/testkit';
import { TestQueues } from './support/queues.js';

/**
 * The price owed is the one in force at the first human purchase click, also when that click is applied after
 * the proof was priced: under load the clicks queue runs behind the submissions queue. Here the clicks queue
 * is paused (BullMQ's own pause, as an operator would) while clicks answered before a price change wait in it.
 */
describe('reimbursement priced at a click applied after the proof', { timeout: 120_000 }, () => {
  let stack: Stack;
  let queues: TestQueues;

  beforeAll(async () => {
    stack = await createStack('clickprice', { PUBLIC_POST_LIMIT: '1000' });
    queues = new TestQueues(stack);
  });
  afterAll(async () => {
    await queues?.close();
    await stack?.stop();
  });

  it('prices open reimbursements again at the earlier click; a click after the proof changes nothing', async () => {
    const terms = { price: '20.00', currency: 'USD', approval: 'review' };
    const c = await seedCampaign(stack, { reimbursement: terms });
    const base = `${stack.apiUrl}/v1/campaigns/${c.campaignId}`;
    const people: Awaited<ReturnType<typeof c.signup>>[] = [];
    for (let i = 0; i < 5; i++) people.push(await c.signup(`clickprice.${i}`));
    const [first, , , , late] = people;
    if (!first || !late) throw new Error('sign-ups');
    const click = async (url: string) => {
      const res = await fetch(url, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
      expect(res.status).toBe(302);
    };
    const submit = async (who: (typeof people)[number], n: number, orderId: string) => {
      const res = await request(`${stack.ingestUrl}/v1/submissions`, {
        method: 'POST',
        json: {
          token: submitToken(who.links.submit),
          postUrl: `https://www.instagram.com/p/CLICKPRICE${n}/`,
          orderId,
          amountPaid: '100.00',
          payoutEmail: `payee${n}@example.com`,
        },
      });
      expect(res.status).toBe(202);
    };
    const items = async () =>
      (await request(`${base}/reimbursements`, { token: c.apiKey })).body.items as {
        id: string;
        state: string;
        amount: string;
        reason: string | null;
      }[];

    await queues.drained();
    await queues.queue('clicks').pause();
    // Four clicks answered at $20.00, still queued when the price becomes $30.00 and the proofs arrive.
    for (const who of people.slice(0, 4)) await click(who.links.purchase);
    const changed = await request(base, {
      method: 'PATCH',
      token: c.apiKey,
      json: { reimbursement: { ...terms, price: '30.00' } },
    });
    expect(changed.status).toBe(200);
    for (const [n, who] of people.slice(0, 3).entries()) await submit(who, n, `111-0000000-000000${n}`);
    await pollUntil(async () => (await items()).length === 3 || undefined, { what: 'three proofs priced' });
    // The fourth reuses the first one's order number: held, priced too.
    await submit(people[3]!, 3, '111-0000000-0000000');
    // And the fifth never clicked before its proof: $30.00, whatever it clicks later.
    await submit(late, 4, '111-0000000-0000004');
    const early = await pollUntil(async () => {
      const now = await items();
      return now.length === 5 && now.every((i) => i.amount === '30.00') ? now : undefined;
    });
    expect(early.map((i) => i.state).sort()).toEqual([
      'held',
      'pending_review',
      'pending_review',
      'pending_review',
      'pending_review',
    ]);

    await click(late.links.purchase);
    await queues.queue('clicks').resume();
    await queues.drained();
    const after = new Map((await items()).map((i) => [i.id, i]));
    for (const who of people.slice(0, 4)) {
      expect(after.get(who.influencerId)).toMatchObject({
        amount: '20.00',
        state: who === people[3] ? 'held' : 'pending_review',
      });
    }
    expect(after.get(people[3]?.influencerId ?? '')?.reason).toBe('duplicate_order');
    expect(after.get(late.influencerId)).toMatchObject({ amount: '30.00', state: 'pending_review' });
    // The move is on the influencer's timeline, from the worker.
    const detail = await c.influencer(first.influencerId);
    const moves = (detail.body.timeline as { detail: string; source: string }[]).filter((e) =>
      e.detail.startsWith('reimbursement'),
    );
    expect(moves.map((m) => m.detail)).toContain('reimbursement pending_review (20.00 USD)');
    // Approved at the click's price, and the budget-free summary counts it so.
    const approved = await request(`${base}/reimbursements/${first.influencerId}/approve`, {
      method: 'POST',
      token: c.apiKey,
    });
    expect(approved.body).toMatchObject({ state: 'approved', amount: '20.00' });
  });
});
