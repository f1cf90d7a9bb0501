import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobIdFor, JOB_CATALOGUE } from '@seedline/domain';
import { pollUntil, request } from '@seedline/testkit';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  dueInfluencer,
  paidTwice,
  payoutStack,
  reimbursingCampaign,
  waitForState,
  type PayoutStack,
} from './support/payouts.js';

/**
 * Approved reimbursements paid through the PayPal stand-in by real worker processes: once each, whatever the
 * provider or the workers do (duplicate jobs, 5xx, timeouts after paying, SIGKILL mid-send, two workers),
 * following item statuses that change later, pausing (not failing) when the account lacks funds.
 */
describe('payouts through PayPal (stand-in)', { timeout: 300_000 }, () => {
  let p: PayoutStack;
  let redis: Redis;
  let payouts: Queue;
  let n = 0;
  const handle = () => `payee.${++n}`;

  beforeAll(async () => {
    p = await payoutStack('payouts');
    redis = new Redis(p.stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    payouts = new Queue('payouts', { connection: redis, prefix: p.stack.prefix });
  });
  afterAll(async () => {
    await payouts?.close();
    redis?.disconnect();
    await p?.stop();
  });
  beforeEach(() => {
    p.standIn.setFaults({ errorRate: 0, timeoutAfterPayRate: 0, insufficientFunds: false, settleMs: 100 });
  });

  it('pays an approved reimbursement once, with the provider reference and every move on the ledger', async () => {
    const c = await reimbursingCampaign(p.stack);
    const { influencerId, payoutEmail } = await dueInfluencer(p.stack, c, handle());
    const paid = await waitForState(p.repos, influencerId, ['paid']);
    const [item, ...more] = p.standIn.ledger().filter((i) => i.senderItemId === influencerId);
    expect(more).toEqual([]);
    expect(item).toMatchObject({
      senderBatchId: `${influencerId}-1`,
      receiver: payoutEmail,
      amount: { value: '25.00', currency: 'USD' },
      status: 'SUCCESS',
    });
    expect(paid.paymentReference).toBeTruthy();
    expect(paid.payout).toMatchObject({ attempt: 1, final: true, batchId: item?.payoutBatchId, status: 'SUCCESS' });
    const entries = await p.repos.reimbursements.entries(influencerId);
    expect(entries.map((e) => `${e.from}→${e.to}`).slice(-2)).toEqual(['approved→sending', 'sending→paid']);
    expect(entries.at(-1)).toMatchObject({ source: 'payouts', attempt: 1, providerRef: paid.paymentReference });
    // Its email is handled at once (sent, or failed for want of a mail server), not left to the hourly sweep.
    await pollUntil(async () => (await p.repos.reimbursements.entries(influencerId)).at(-1)?.notice !== 'pending', {
      what: "the paid entry's email",
      timeoutMs: 20_000,
    });
    // The address never reaches the worker's log.
    expect(p.stack.apps.worker?.logs()).not.toContain(payoutEmail);
  });

  it('a brand set to manual (admin) pays its influencers itself: approved reimbursements are left to it', async () => {
    const c = await reimbursingCampaign(p.stack);
    const admin = p.stack.env.ADMIN_TOKEN;
    const url = `${p.stack.apiUrl}/v1/brands/${c.brandId}`;
    expect((await request(url, { method: 'PATCH', json: { payoutProvider: 'manual' } })).status).toBe(401);
    const bad = await request(url, { method: 'PATCH', token: admin, json: { payoutProvider: 'cash' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('payoutProvider');
    const unknown = await request(`${p.stack.apiUrl}/v1/brands/${'0'.repeat(24)}`, {
      method: 'PATCH',
      token: admin,
      json: { payoutProvider: 'manual' },
    });
    expect(unknown.status).toBe(404);
    const set = await request(url, { method: 'PATCH', token: admin, json: { payoutProvider: 'manual' } });
    expect(set).toMatchObject({ status: 200, body: { id: c.brandId, payoutProvider: 'manual' } });

    const { influencerId } = await dueInfluencer(p.stack, c, handle());
    await waitForState(p.repos, influencerId, ['approved']);
    const approval = (await p.repos.reimbursements.entries(influencerId)).find((e) => e.to === 'approved');
    // The approval's payout job, read again until it holds its result (a read racing its completion has none).
    const result = await pollUntil(async () => {
      const j = await payouts.getJob(jobIdFor('payout', approval?._id ?? ''));
      return j?.finishedOn ? (j.returnvalue as unknown) : undefined;
    });
    expect(result).toEqual({ outcome: 'manual', state: 'approved' });
    expect((await p.repos.reimbursements.findById(influencerId))?.state).toBe('approved');
    expect(p.standIn.ledger().filter((i) => i.senderItemId === influencerId)).toEqual([]);
  });

  it('the same payout job delivered many times at once pays once', async () => {
    p.standIn.setFaults({ settleMs: 2000 });
    const c = await reimbursingCampaign(p.stack);
    const { influencerId } = await dueInfluencer(p.stack, c, handle());
    await payouts.addBulk(
      Array.from({ length: 8 }, (_, i) => ({
        name: 'payouts',
        data: { reimbursementId: influencerId },
        opts: { ...JOB_CATALOGUE.payouts.options, jobId: `dup-${influencerId}-${i}` } as never,
      })),
    );
    await waitForState(p.repos, influencerId, ['paid']);
    expect(p.standIn.ledger().filter((i) => i.senderItemId === influencerId)).toHaveLength(1);
  });

  it('5xx and timeouts after PayPal paid: every payout found again by its key, none paid twice', async () => {
    p.standIn.setFaults({ errorRate: 0.3, timeoutAfterPayRate: 0.4 });
    const duplicatesBefore = p.standIn.calls.duplicates;
    const c = await reimbursingCampaign(p.stack);
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push((await dueInfluencer(p.stack, c, handle())).influencerId);
    for (const id of ids) await waitForState(p.repos, id, ['paid'], 120_000);
    expect(paidTwice(p.standIn)).toEqual([]);
    for (const id of ids) expect(p.standIn.ledger().filter((i) => i.senderItemId === id)).toHaveLength(1);
    // Timeouts after paying were reconciled through PayPal's duplicate answer, not by paying again.
    expect(p.standIn.calls.timedOut).toBeGreaterThan(0);
    expect(p.standIn.calls.duplicates - duplicatesBefore).toBeGreaterThan(0);
  });

  it('follows statuses that change later: UNCLAIMED stays sending until SUCCESS; RETURNED fails, a retry pays once', async () => {
    const c = await reimbursingCampaign(p.stack);
    const claimer = `claims.later.${n}@payouts.example`;
    const returner = `never.claims.${n}@payouts.example`;
    p.standIn.setFaults({
      settleMs: 1500,
      outcomes: { [claimer]: ['UNCLAIMED', 'SUCCESS'], [returner]: ['UNCLAIMED', 'RETURNED'] },
    });
    const a = await dueInfluencer(p.stack, c, handle(), claimer);
    const b = await dueInfluencer(p.stack, c, handle(), returner);
    const unclaimed = await pollUntil(async () => {
      const doc = await p.repos.reimbursements.findById(a.influencerId);
      return (doc?.payout as { status?: string } | undefined)?.status === 'UNCLAIMED' ? doc : undefined;
    });
    expect(unclaimed?.state).toBe('sending');
    await waitForState(p.repos, a.influencerId, ['paid']);
    const failed = await waitForState(p.repos, b.influencerId, ['failed']);
    expect(failed.reason).toBe('paypal_returned');
    expect(failed.payout).toMatchObject({ attempt: 1, final: true });

    // The brand retries once the influencer fixed the address: attempt 2, a new key, paid; attempt 1's money
    // came back, so the influencer holds exactly one payout.
    p.standIn.setFaults({ outcomes: { [returner]: ['SUCCESS'] } });
    const retried = await p.repos.reimbursements.transition(b.influencerId, {
      from: ['failed'],
      to: 'approved',
      source: 'brand:test',
      note: 'retry',
    });
    expect(retried.ok).toBe(true);
    await payouts.add('payouts', { reimbursementId: b.influencerId }, JOB_CATALOGUE.payouts.options);
    const paid = await waitForState(p.repos, b.influencerId, ['paid']);
    expect(paid.payout).toMatchObject({ attempt: 2, key: `${b.influencerId}-2`, final: true });
    const sent = p.standIn.ledger().filter((i) => i.senderItemId === b.influencerId);
    expect(sent.map((i) => [i.senderBatchId, i.status])).toEqual([
      [`${b.influencerId}-1`, 'RETURNED'],
      [`${b.influencerId}-2`, 'SUCCESS'],
    ]);
    expect(paidTwice(p.standIn)).toEqual([]);
  });

  it('lack of funds pauses payouts (nothing sent, nothing failed, an error log and a metric) until funds return', async () => {
    p.standIn.setFaults({ insufficientFunds: true });
    const c = await reimbursingCampaign(p.stack);
    const { influencerId } = await dueInfluencer(p.stack, c, handle());
    await pollUntil(() => p.standIn.calls.insufficientFunds >= 2, { timeoutMs: 30_000 });
    const paused = await p.repos.reimbursements.findById(influencerId);
    expect(paused?.state).toBe('sending');
    expect(p.standIn.ledger().filter((i) => i.senderItemId === influencerId)).toEqual([]);
    expect(p.stack.apps.worker?.logs()).toMatch(
      /"level":50[^\n]*payouts paused: the provider says the sending account lacks funds/,
    );
    const metrics = await request(`${p.stack.apiUrl}/metrics`, { token: p.stack.env.METRICS_TOKEN });
    expect(String(metrics.body)).toMatch(/^seedline_payouts_paused 1$/m);

    p.standIn.setFaults({ insufficientFunds: false });
    await waitForState(p.repos, influencerId, ['paid']);
    expect(p.stack.apps.worker?.logs()).toContain('payouts resumed');
    const after = await request(`${p.stack.apiUrl}/metrics`, { token: p.stack.env.METRICS_TOKEN });
    expect(String(after.body)).toMatch(/^seedline_payouts_paused 0$/m);
    const failedJobs = await payouts.getFailedCount();
    expect(failedJobs).toBe(0);
  });

  it('a worker SIGKILLed after PayPal paid and before it recorded it: the next one finds the payout, pays nothing twice', async () => {
    // The worker waits long for PayPal's answer, which never comes: it is killed in that wait. Its sweep is slowed
    // to an hour, so no second job of its own finds the payout first (with a 1 s sweep, a busy machine let one
    // resend the key, get PayPal's link to the batch and record it before the kill).
    await p.stack.apps.worker?.stop();
    p.stack.env.PAYPAL_TIMEOUT_MS = '60000';
    p.stack.env.PAYOUT_SWEEP_SECONDS = '3600';
    await p.stack.start('worker');
    p.standIn.setFaults({ timeoutAfterPayRate: 1 });
    const c = await reimbursingCampaign(p.stack);
    const { influencerId } = await dueInfluencer(p.stack, c, handle());
    await pollUntil(() => p.standIn.ledger().some((i) => i.senderItemId === influencerId), { timeoutMs: 60_000 });
    const sending = await p.repos.reimbursements.findById(influencerId);
    expect(sending?.state).toBe('sending');
    expect((sending?.payout as { batchId?: string }).batchId).toBeUndefined();
    await p.stack.apps.worker?.kill();
    p.standIn.setFaults({ timeoutAfterPayRate: 0 });
    p.stack.env.PAYPAL_TIMEOUT_MS = '1500';
    p.stack.env.PAYOUT_SWEEP_SECONDS = '1';
    await p.stack.start('worker');
    await waitForState(p.repos, influencerId, ['paid']);
    expect(p.standIn.ledger().filter((i) => i.senderItemId === influencerId)).toHaveLength(1);
  });

  it('two more workers racing over the same payouts: each reimbursement paid exactly once', async () => {
    const extra = [await p.stack.addWorker(), await p.stack.addWorker()];
    p.standIn.setFaults({ errorRate: 0.1, timeoutAfterPayRate: 0.1 });
    const c = await reimbursingCampaign(p.stack);
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push((await dueInfluencer(p.stack, c, handle())).influencerId);
    // Every job queued three times over, so the workers meet on the same reimbursements.
    for (let round = 0; round < 3; round++) {
      await payouts.addBulk(
        ids.map((id) => ({
          name: 'payouts',
          data: { reimbursementId: id },
          opts: { ...JOB_CATALOGUE.payouts.options, jobId: `race-${round}-${id}` } as never,
        })),
      );
    }
    for (const id of ids) await waitForState(p.repos, id, ['paid'], 120_000);
    expect(paidTwice(p.standIn)).toEqual([]);
    for (const id of ids) expect(p.standIn.ledger().filter((i) => i.senderItemId === id)).toHaveLength(1);
    await Promise.all(extra.map((w) => w.stop()));
  });
});
