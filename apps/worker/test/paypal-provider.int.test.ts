import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { moneyOutBySenderItem, pollUntil, startPayPalStandIn, type PayPalStandIn } from '@seedline/testkit';
import { PayPalClient } from '../src/payouts/paypal.client.js';
import { PayPalProvider } from '../src/payouts/paypal.provider.js';
import { InsufficientFundsError, ProviderUnavailableError, type PayoutOrder } from '../src/payouts/provider.js';

// The client and provider against the PayPal stand-in over real HTTP: what PayPal documents for duplicates,
// 5xx, timeouts after paying, lack of funds and statuses that change later.
let standIn: PayPalStandIn;
let n = 0;
const provider = (timeoutMs = 2000, secret = standIn.clientSecret) =>
  new PayPalProvider(
    new PayPalClient({ baseUrl: standIn.url, clientId: standIn.clientId, clientSecret: secret, timeoutMs }),
  );
const order = (over: Partial<PayoutOrder> = {}): PayoutOrder => {
  const reimbursementId = `r${String(++n).padStart(23, '0')}`;
  return {
    reimbursementId,
    attempt: 1,
    key: `${reimbursementId}-1`,
    amount: '24.99',
    currency: 'USD',
    receiver: `influencer${n}@example.com`,
    note: 'Your product reimbursement',
    ...over,
  };
};

beforeAll(async () => {
  standIn = await startPayPalStandIn();
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
  standIn.setFaults({ settleMs: 50 });
});

describe('PayPal provider', () => {
  it('sends one batch, then follows its item to SUCCESS with a reference', async () => {
    const p = provider();
    const o = order();
    const sent = await p.submit(o);
    expect(sent).toMatchObject({ kind: 'in_flight', status: 'PENDING' });
    const batchId = (sent as { batchId: string }).batchId;
    const paid = await pollUntil(async () => {
      const s = await p.check(batchId, o);
      return s.kind === 'paid' ? s : undefined;
    });
    expect(paid.reference).toMatch(/^[0-9A-F]{17}$/);
    const ledger = standIn.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      senderBatchId: o.key,
      senderItemId: o.reimbursementId,
      amount: { value: '24.99' },
    });
  });

  it('caches the token across calls and renews it before it expires, and once when PayPal revokes it', async () => {
    standIn.setFaults({ tokenExpiresIn: 1 });
    const p = provider();
    await p.submit(order());
    await p.submit(order());
    expect(standIn.calls.token).toBe(1);
    await pollUntil(async () => (await p.submit(order()), standIn.calls.token === 2), { timeoutMs: 5000 });
    standIn.revokeTokens();
    await p.submit(order());
    expect(standIn.calls.unauthorized).toBe(1);
    expect(standIn.calls.token).toBe(3);
  });

  it('finds the original payout when a key is sent again, and pays nothing twice', async () => {
    const p = provider();
    const o = order();
    const first = await p.submit(o);
    const again = await p.submit(o);
    expect(standIn.calls.duplicates).toBe(1);
    expect((again as { batchId: string }).batchId).toBe((first as { batchId: string }).batchId);
    expect(standIn.ledger()).toHaveLength(1);
  });

  it('a timeout after PayPal paid is not a failure: the resend of the same key finds the payout', async () => {
    standIn.setFaults({ timeoutAfterPayRate: 1 });
    const p = provider(300);
    const o = order();
    await expect(p.submit(o)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(standIn.ledger()).toHaveLength(1);
    standIn.setFaults({ timeoutAfterPayRate: 0 });
    const found = await p.submit(o);
    expect(found.kind).not.toBe('failed');
    expect(standIn.calls.duplicates).toBe(1);
    expect(moneyOutBySenderItem(standIn.ledger()).get(o.reimbursementId)).toHaveLength(1);
  });

  it('a 5xx is retried with the same key; nothing was sent', async () => {
    standIn.setFaults({ errorRate: 1 });
    const p = provider();
    const o = order();
    await expect(p.submit(o)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(standIn.ledger()).toHaveLength(0);
    standIn.setFaults({ errorRate: 0 });
    expect((await p.submit(o)).kind).toBe('in_flight');
    expect(standIn.ledger()).toHaveLength(1);
  });

  it('lack of funds sends nothing and fails nothing', async () => {
    standIn.setFaults({ insufficientFunds: true });
    const p = provider();
    const o = order();
    await expect(p.submit(o)).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(standIn.ledger()).toHaveLength(0);
    standIn.setFaults({ insufficientFunds: false });
    expect((await p.submit(o)).kind).toBe('in_flight');
  });

  it('follows UNCLAIMED (still sending) until RETURNED (failed: the money came back)', async () => {
    const o = order();
    standIn.setFaults({ settleMs: 300, outcomes: { [o.receiver]: ['UNCLAIMED', 'RETURNED'] } });
    const p = provider();
    const { batchId } = (await p.submit(o)) as { batchId: string };
    const unclaimed = await pollUntil(async () => {
      const s = await p.check(batchId, o);
      return s.kind === 'in_flight' && s.status === 'UNCLAIMED' ? s : undefined;
    });
    expect(unclaimed.itemId).toBeTruthy();
    const returned = await pollUntil(async () => {
      const s = await p.check(batchId, o);
      return s.kind === 'failed' ? s : undefined;
    });
    expect(returned.reason).toBe('paypal_returned');
    expect(moneyOutBySenderItem(standIn.ledger()).size).toBe(0);
  });

  it.each(['FAILED', 'BLOCKED', 'REFUNDED', 'REVERSED'] as const)('fails an item PayPal moves to %s', async (s) => {
    const p = provider();
    const o = order();
    const { batchId } = (await p.submit(o)) as { batchId: string };
    const item = standIn.ledger()[0];
    standIn.setItemStatus(item?.payoutItemId ?? '', s);
    expect(await p.check(batchId, o)).toMatchObject({ kind: 'failed', reason: `paypal_${s.toLowerCase()}` });
  });

  it('a refused request (a bad receiver) is a final failure of the attempt, with nothing sent', async () => {
    const result = await provider().submit(order({ receiver: 'not an email' }));
    expect(result).toEqual({ kind: 'failed', reason: 'paypal_validation_error' });
    expect(standIn.ledger()).toHaveLength(0);
  });

  it("wrong client credentials are our problem, not the payout's: retried, never failed", async () => {
    await expect(provider(2000, 'wrong-secret').submit(order())).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(standIn.ledger()).toHaveLength(0);
  });
});
