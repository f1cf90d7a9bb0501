import { connectMongo, createRepositories, type ReimbursementDoc, type Repositories } from '@seedline/db';
import {
  createStack,
  moneyOutBySenderItem,
  pollUntil,
  request,
  seedCampaign,
  startPayPalStandIn,
  submitToken,
  type PayPalStandIn,
  type Stack,
} from '@seedline/testkit';
import type { Connection } from 'mongoose';

/** A stack whose worker pays through a PayPal stand-in of the test's own, with short sweeps and locks. */
export async function payoutStack(label: string, env: Record<string, string> = {}) {
  const standIn = await startPayPalStandIn();
  standIn.setFaults({ settleMs: 100 });
  const stack = await createStack(label, {
    PAYPAL_BASE_URL: standIn.url,
    PAYPAL_CLIENT_ID: standIn.clientId,
    PAYPAL_CLIENT_SECRET: standIn.clientSecret,
    PAYPAL_TIMEOUT_MS: '1500',
    PAYOUT_SWEEP_SECONDS: '1',
    PAYOUT_FUNDS_RETRY_SECONDS: '1',
    WORKER_LOCK_MS: '4000',
    // Owed emails are swept hourly here: a payout's email must be queued by the payout itself.
    REMINDER_SWEEP_SECONDS: '3600',
    ...env,
  });
  const conn: Connection = await connectMongo(stack.env.MONGO_URL as string);
  const repos: Repositories = createRepositories(conn);
  return {
    standIn,
    stack,
    repos,
    async stop() {
      await conn.close();
      await stack.stop();
      await standIn.close();
    },
  };
}

export type PayoutStack = Awaited<ReturnType<typeof payoutStack>>;

let orders = 0;

/** A campaign that reimburses $20 + $5 shipping, approved automatically. */
export async function reimbursingCampaign(stack: Stack) {
  return seedCampaign(stack, {
    productUrl: 'https://www.amazon.com/dp/B000000001',
    reviewUrl: 'https://www.amazon.com/review/create-review?asin=B000000001',
    reimbursement: { price: '20.00', shipping: '5.00', currency: 'USD', approval: 'auto' },
  });
}

/** An influencer who posts and proves a $25.00 purchase: due, approved, then paid by the worker. */
export async function dueInfluencer(
  stack: Stack,
  c: Awaited<ReturnType<typeof reimbursingCampaign>>,
  handle: string,
  payoutEmail = `${handle.replace(/[^a-z0-9]/g, '')}@payouts.example`,
) {
  const { influencerId, links } = await c.signup(handle);
  const n = ++orders;
  const res = await request(`${stack.ingestUrl}/v1/submissions`, {
    method: 'POST',
    json: {
      token: submitToken(links.submit),
      postUrl: `https://www.instagram.com/p/P${String(n).padStart(6, '0')}${handle.length}/`,
      orderId: `${String(100 + (n % 900)).padStart(3, '0')}-${String(process.pid % 10_000_000).padStart(7, '0')}-${String(n).padStart(7, '0')}`,
      amountPaid: '25.00',
      payoutEmail,
    },
  });
  if (res.status !== 202) throw new Error(`submission: ${res.status} ${JSON.stringify(res.body)}`);
  return { influencerId, payoutEmail };
}

export async function waitForState(
  repos: Repositories,
  id: string,
  states: string[],
  timeoutMs = 60_000,
): Promise<ReimbursementDoc> {
  return pollUntil(
    async () => {
      const doc = await repos.reimbursements.findById(id);
      return doc && states.includes(doc.state) ? doc : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `reimbursement ${id} to be ${states.join(' or ')}` },
  );
}

/** Per reimbursement, the payouts that hold money at the stand-in: more than one is a reimbursement paid twice. */
export function paidTwice(standIn: PayPalStandIn): string[] {
  return [...moneyOutBySenderItem(standIn.ledger()).entries()].filter(([, v]) => v.length > 1).map(([k]) => k);
}
