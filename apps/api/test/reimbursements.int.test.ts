import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStack,
  Mailpit,
  pollUntil,
  request,
  SHARED_MAILPIT_API,
  SHARED_SMTP_URL,
  uniqueName,
  type Stack,
} from '@seedline/testkit';
import { connectMongo } from '@seedline/db';
import { moneyCampaign, orderId, postUrl } from './support/money.js';

/**
 * Reimbursements end to end through the real apps: proof on the submission form's route, the worker making
 * them due, the brand's routes, the influencer's emails (real SMTP into Mailpit), and every bad input.
 */
describe('reimbursements', () => {
  let stack: Stack;
  const mail = new Mailpit(SHARED_MAILPIT_API);
  const address = () =>
    `${uniqueName('infl')
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()}@example.com`;

  beforeAll(async () => {
    stack = await createStack('money', { SMTP_URL: SHARED_SMTP_URL, REMINDER_SWEEP_SECONDS: '1' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const waitFor = async (c: Awaited<ReturnType<typeof moneyCampaign>>, id: string, state: string) =>
    pollUntil(
      async () => {
        const res = await c.get(`/reimbursements`);
        const item = (res.body.items as { id: string; state: string }[]).find((i) => i.id === id);
        return item?.state === state ? item : undefined;
      },
      { what: `reimbursement ${id} ${state}`, timeoutMs: 30_000 },
    );

  it('approves automatically, shows it everywhere with exact amounts, pays by the manual provider and emails', async () => {
    const c = await moneyCampaign(stack, { budget: '100.00' });
    const email = address();
    const who = await c.signup('money.one', email);
    const order = orderId();
    const sent = await c.submit({
      token: who.submitToken,
      postUrl: postUrl(),
      orderId: order,
      amountPaid: '30.00',
      payoutEmail: 'Payee.One@Example.com',
    });
    expect(sent.status).toBe(202);
    expect(sent.body.missing).toEqual([]);
    // tax = 25.00 × 0.0825 = 2.0625 → 2.06; cap 27.06; paid 30.00 → 27.06 + 1.00 bonus
    const item = await waitFor(c, who.influencerId, 'approved');
    expect(item).toMatchObject({
      amount: '28.06',
      currency: 'USD',
      orderId: order,
      amountPaid: '30.00',
      payoutEmail: 'payee.one@example.com',
      instagramHandle: 'money.one',
    });
    const summary = await c.get('/summary');
    expect(summary.body).toMatchObject({
      budgetLeft: '71.94',
      reimbursements: { approved: { count: 1, amount: '28.06' }, paid: { count: 0, amount: '0.00' } },
    });
    const list = await c.get('/influencers');
    expect(list.body.items[0].reimbursement).toEqual({ state: 'approved', amount: '28.06', currency: 'USD' });
    const csv = await request(`${c.base}/payouts.csv`, { token: c.apiKey });
    expect(String(csv.body)).toContain(
      `${who.influencerId},${who.influencerId},money.one,payee.one@example.com,28.06,USD,${order}`,
    );

    const paid = await c.post(`/reimbursements/${who.influencerId}/paid`, { reference: 'wire-7' });
    expect(paid.body).toMatchObject({ state: 'paid', paymentReference: 'wire-7' });
    expect((await c.post(`/reimbursements/${who.influencerId}/paid`, { reference: 'wire-8' })).body).toMatchObject({
      state: 'paid',
      paymentReference: 'wire-7',
    });
    const after = await c.get('/summary');
    expect(after.body.reimbursements.paid).toEqual({ count: 1, amount: '28.06' });
    expect(after.body.budgetLeft).toBe('71.94');
    const detail = await c.get(`/influencers/${who.influencerId}`);
    expect(detail.body.reimbursement).toEqual({ state: 'paid', amount: '28.06', currency: 'USD' });
    const moves = (detail.body.timeline as { type: string; detail: string; source: string }[]).filter(
      (e) => e.type === 'reimbursement',
    );
    expect(moves.map((m) => m.detail)).toContain('reimbursement awaiting_proof → approved (28.06 USD)');
    expect(moves.find((m) => m.detail.includes('→ paid'))?.source).toMatch(/^brand:/);
    const emails = await pollUntil(
      async () => {
        const got = await mail.to(email);
        return got.length >= 2 ? got : undefined;
      },
      { what: 'approved and paid emails', timeoutMs: 30_000 },
    );
    expect(emails.map((m) => m.Subject).sort()).toEqual([
      'Your reimbursement is approved · Money campaign',
      'Your reimbursement is paid · Money campaign',
    ]);
    const headers = await mail.headers(emails[0]!.ID);
    expect(headers['Message-Id']?.[0]).toMatch(/^<reimbursement\.[0-9a-f]{24}-\d+@/);
    // The payout address is sealed at rest: the stored document holds no trace of it.
    const conn = await connectMongo(stack.env.MONGO_URL as string);
    try {
      const stored = await conn.collection('reimbursements').findOne({ _id: who.influencerId as never });
      expect(String(stored?.proof?.payoutEmail)).toMatch(/^v1\./);
      expect(JSON.stringify(stored)).not.toMatch(/payee/i);
    } finally {
      await conn.close();
    }
  });

  it('waits for review, rejects with a reason the influencer is told, and refuses approvals past the budget', async () => {
    const c = await moneyCampaign(stack, {
      approval: 'review',
      budget: '50.00',
      taxRate: '0',
      bonus: '0',
      shipping: '0',
    });
    const email = address();
    const a = await c.signup('review.a', email);
    const b = await c.signup('review.b');
    const d = await c.signup('review.c');
    for (const who of [a, b, d]) {
      const res = await c.submit({
        token: who.submitToken,
        postUrl: postUrl(),
        orderId: orderId(),
        amountPaid: '20.00',
        payoutEmail: 'p@example.com',
      });
      expect(res.status).toBe(202);
    }
    for (const who of [a, b, d]) await waitFor(c, who.influencerId, 'pending_review');
    const rejected = await c.post(`/reimbursements/${a.influencerId}/reject`, { reason: 'post taken down' });
    expect(rejected.body).toMatchObject({ state: 'rejected', reason: 'post taken down' });
    expect((await c.post(`/reimbursements/${a.influencerId}/reject`, { reason: 'again' })).body.reason).toBe(
      'post taken down',
    );
    const single = await c.post(`/reimbursements/${a.influencerId}/approve`);
    expect(single).toMatchObject({ status: 409, body: { error: { code: 'invalid_state' } } });
    const bulkRejected = (await c.post('/reimbursements/approve', { ids: [a.influencerId] })).body; // the same code
    expect(bulkRejected.refused).toMatchObject([{ id: a.influencerId, code: 'invalid_state' }]);
    const bulk = await c.post('/reimbursements/approve', { status: 'pending_review' });
    expect(bulk.body.approved).toEqual([b.influencerId, d.influencerId].sort());
    expect(bulk.body.refused).toEqual([]);
    const summary = await c.get('/summary');
    expect(summary.body.budgetLeft).toBe('10.00');
    const e = await c.signup('review.d');
    await c.submit({
      token: e.submitToken,
      postUrl: postUrl(),
      orderId: orderId(),
      amountPaid: '20.00',
      payoutEmail: 'p@example.com',
    });
    await waitFor(c, e.influencerId, 'pending_review');
    const over = await c.post(`/reimbursements/${e.influencerId}/approve`);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'over_budget', details: { budgetLeft: '10.00' } });
    const bulkOver = await c.post('/reimbursements/approve', { ids: [e.influencerId] });
    expect(bulkOver.body).toMatchObject({ approved: [], refused: [{ id: e.influencerId, code: 'over_budget' }] });
    const told = await pollUntil(async () => (await mail.to(email))[0], { what: 'rejection email', timeoutMs: 30_000 });
    expect(told.Subject).toBe('Your reimbursement was declined · Money campaign');
    expect((await mail.message(told.ID)).Text).toContain('Reason: post taken down');
  });

  it("holds a second claim of an order number, in another brand's campaign too, and takes the proof later", async () => {
    const first = await moneyCampaign(stack, {});
    const second = await moneyCampaign(stack, {});
    const order = orderId();
    const x = await first.signup('dup.one');
    const y = await second.signup('dup.two');
    await first.submit({
      token: x.submitToken,
      postUrl: postUrl(),
      orderId: order,
      amountPaid: '10.00',
      payoutEmail: 'x@example.com',
    });
    await waitFor(first, x.influencerId, 'approved');
    // The post first, the proof later through the same link: told what is missing.
    const postOnly = await second.submit({ token: y.submitToken, postUrl: postUrl() });
    expect(postOnly.body.missing).toEqual(['orderId', 'amountPaid', 'payoutEmail']);
    await waitFor(second, y.influencerId, 'awaiting_proof');
    const proofOnly = await second.submit({
      token: y.submitToken,
      orderId: order,
      amountPaid: '10.00',
      payoutEmail: 'y@example.com',
    });
    expect(proofOnly.body.missing).toEqual(['postUrl']);
    const held = await waitFor(second, y.influencerId, 'held');
    expect(held).toMatchObject({ reason: 'duplicate_order', amount: '11.00' });
    const summary = await second.get('/summary');
    expect(summary.body.reimbursements.held).toEqual({ count: 1, amount: '11.00' });
  });

  it('answers bad input with 400 naming the field, a forged token with 401, another brand with 404', async () => {
    const c = await moneyCampaign(stack, {});
    const who = await c.signup('bad.input');
    const proof = {
      token: who.submitToken,
      postUrl: postUrl(),
      orderId: orderId(),
      amountPaid: '10.00',
      payoutEmail: 'a@example.com',
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ orderId: '123-456-789' }, 'body.orderId'],
      [{ orderId: '1234567890123456789' }, 'body.orderId'],
      [{ orderId: `${'1'.repeat(5000)}` }, 'body.orderId'],
      [{ amountPaid: '1e3' }, 'body.amountPaid'],
      [{ amountPaid: '-5' }, 'body.amountPaid'],
      [{ amountPaid: '12.345' }, 'body.amountPaid'],
      [{ amountPaid: '99999999999999999999' }, 'body.amountPaid'],
      [{ amountPaid: 12.5 }, 'body.amountPaid'],
      [{ payoutEmail: 'not-an-email' }, 'body.payoutEmail'],
      [{ payoutEmail: undefined }, 'body.payoutEmail'],
      [{ postUrl: undefined, orderId: undefined, amountPaid: undefined, payoutEmail: undefined }, 'body.postUrl'],
    ];
    for (const [change, field] of cases) {
      const res = await c.submit({ ...proof, ...change });
      expect(res.status, JSON.stringify(change).slice(0, 80)).toBe(400);
      expect((res.body.error.details as { path: string }[]).map((d) => d.path)).toContain(field);
    }
    const forged = await c.submit({ ...proof, token: `${who.submitToken.slice(0, -2)}xx` });
    expect(forged.status).toBe(401);
    const plain = await request(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      token: c.apiKey,
      json: { name: 'no money', productUrl: 'https://example.com/p', reviewUrl: 'https://example.com/r' },
    });
    const plainSignup = await request(`${stack.ingestUrl}/v1/signups`, {
      method: 'POST',
      token: stack.env.INGEST_TOKEN,
      json: { campaignId: plain.body.id, instagramHandle: 'no.money' },
    });
    const plainToken = new URL(plainSignup.body.links.submit as string).pathname.split('/').pop() as string;
    const refused = await c.submit({ ...proof, token: plainToken });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('body.orderId');

    const settings: [Record<string, unknown>, string][] = [
      [{ price: '1e3' }, 'body.reimbursement.price'],
      [{ price: '-5' }, 'body.reimbursement.price'],
      [{ shipping: '12.345' }, 'body.reimbursement.shipping'],
      [{ budget: '1000000000000' }, 'body.reimbursement.budget'],
      [{ taxRate: '8.25%' }, 'body.reimbursement.taxRate'],
      [{ currency: 'usd' }, 'body.reimbursement.currency'],
      [{ currency: 'XYZ' }, 'body.reimbursement.currency'],
      [{ approval: 'sometimes' }, 'body.reimbursement.approval'],
    ];
    for (const [change, field] of settings) {
      const res = await request(`${stack.apiUrl}/v1/campaigns`, {
        method: 'POST',
        token: c.apiKey,
        json: {
          name: 'bad',
          productUrl: 'https://example.com/p',
          reviewUrl: 'https://example.com/r',
          reimbursement: { price: '10.00', currency: 'USD', approval: 'auto', ...change },
        },
      });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect((res.body.error.details as { path: string }[]).map((d) => d.path)).toContain(field);
    }
    const currency = await request(`${c.base}`, {
      method: 'PATCH',
      token: c.apiKey,
      json: { reimbursement: { price: '10.00', currency: 'EUR', approval: 'auto' } },
    });
    expect(currency.status).toBe(400);
    expect(currency.body.error.details[0].path).toBe('body.reimbursement.currency');

    await c.submit(proof);
    await waitFor(c, who.influencerId, 'approved');
    const other = await moneyCampaign(stack, {});
    for (const path of ['/reimbursements', `/reimbursements/${who.influencerId}/approve`, '/payouts.csv']) {
      const method = path.endsWith('approve') ? 'POST' : 'GET';
      const res = await request(`${c.base}${path}`, { method, token: other.apiKey });
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('a@example.com');
    }
    expect((await other.post(`/reimbursements/${who.influencerId}/reject`, { reason: 'x' })).status).toBe(404);
    expect((await c.post('/reimbursements/not-an-id/approve')).status).toBe(404);
    expect((await c.post('/reimbursements/approve', { ids: ['zz'] })).status).toBe(400);
    const badCursor = await c.get('/reimbursements?cursor=nope');
    expect(badCursor).toMatchObject({ status: 400, body: { error: { details: [{ path: 'query.cursor' }] } } });
    expect((await c.get('/reimbursements?status=lost')).status).toBe(400);
  });
});
