// Reimbursements driven through the real apps (a campaign that reimburses, sign-ups, posts with proof of
// purchase), paid by the worker through a PayPal stand-in: shared by the payout-chaos fault case and the
// payouts benchmark, so both measure the same path.
import { connectMongo, createRepositories } from '@seedline/db';
import { moneyOutBySenderItem, pollUntil, request, seedCampaign, submitToken } from '@seedline/testkit';

/** The worker's environment against a stand-in: short sweeps so follow-ups are quick. */
export function payoutEnv(standIn, extra = {}) {
  return {
    PAYPAL_BASE_URL: standIn.url,
    PAYPAL_CLIENT_ID: standIn.clientId,
    PAYPAL_CLIENT_SECRET: standIn.clientSecret,
    PAYPAL_TIMEOUT_MS: '1000',
    PAYOUT_SWEEP_SECONDS: '1',
    PAYOUT_FUNDS_RETRY_SECONDS: '1',
    ...extra,
  };
}

/** $20.00 + $4.99 shipping + 8.25 % tax (on both, half-up once: $2.06) + $1.00 bonus, capped by what was paid. */
export async function reimbursingCampaign(stack, approval = 'auto') {
  return seedCampaign(stack, {
    productUrl: 'https://www.amazon.com/dp/B000000001',
    reviewUrl: 'https://www.amazon.com/review/create-review?asin=B000000001',
    reimbursement: {
      price: '20.00',
      shipping: '4.99',
      taxRate: '0.0825',
      bonus: '1.00',
      currency: 'USD',
      approval,
    },
  });
}

/** Amounts paid for the product, some under the cap ($27.05) and some over it. */
const PAID = ['19.99', '27.05', '30.00', '25.10', '12.34'];

/** Signs up `count` influencers and submits each one's post with its proof; returns who and what was sent. */
export async function dueInfluencers(stack, c, count, { tag = 'p', concurrency = 8, emailFor } = {}) {
  const out = [];
  let next = 0;
  const one = async (i) => {
    const handle = `${tag}.${i}`;
    const payoutEmail = emailFor?.(i) ?? `${tag}${i}@payees.example`;
    const { influencerId, links } = await c.signup(handle);
    const body = {
      token: submitToken(links.submit),
      postUrl: `https://www.instagram.com/p/${tag.toUpperCase()}${String(i).padStart(8, '0')}/`,
      orderId: `${String(100 + (i % 900))}-${String(4_000_000 + i).padStart(7, '0')}-${String(1_000_000 + i).padStart(7, '0')}`,
      amountPaid: PAID[i % PAID.length],
      payoutEmail,
    };
    for (let tries = 0; ; tries++) {
      const res = await request(`${stack.ingestUrl}/v1/submissions`, { method: 'POST', json: body }).catch((e) => ({
        status: 0,
        body: e.message,
      }));
      if (res.status === 202) break;
      if (tries > 20) throw new Error(`submission ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    out.push({ i, influencerId, payoutEmail, handle });
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
  return out;
}

export async function openRepos(mongoUrl) {
  const conn = await connectMongo(mongoUrl);
  return { conn, repos: createRepositories(conn) };
}

/** The states of the given reimbursements, by id. */
export async function states(repos, ids) {
  const docs = await repos.reimbursements.findMany(ids);
  return new Map(ids.map((id) => [id, docs.get(id) ?? null]));
}

/** Waits until none of the reimbursements is still on its way (approved, sending, or not yet approved). */
export async function settled(repos, ids, timeoutMs) {
  return pollUntil(
    async () => {
      const docs = await states(repos, ids);
      return [...docs.values()].every((d) => d && (d.state === 'paid' || d.state === 'failed')) ? docs : undefined;
    },
    { timeoutMs, intervalMs: 250, what: 'every reimbursement to be paid or failed' },
  );
}

const cents = (value) => {
  const [whole, frac = ''] = value.split('.');
  return BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
};

/**
 * Money, checked against the stand-in's ledger: per reimbursement, the payouts that hold money (more than one
 * is paid twice); paid here without money there, or the reverse; and the cents between what the database says
 * was paid and what left the PayPal account.
 */
export function audit(standIn, docs) {
  const out = moneyOutBySenderItem(standIn.ledger());
  let twice = 0;
  let mismatched = 0;
  let dbCents = 0n;
  let paypalCents = 0n;
  const problems = [];
  for (const [id, doc] of docs) {
    const held = out.get(id) ?? [];
    if (held.length > 1) twice++;
    for (const item of held) paypalCents += cents(item.amount.value);
    if (doc?.state === 'paid') dbCents += BigInt(doc.amount ?? 0);
    const paidHere = doc?.state === 'paid';
    if (paidHere !== held.length > 0) {
      mismatched++;
      problems.push({ id, state: doc?.state, moneyOut: held.length });
    } else if (paidHere && cents(held[0].amount.value) !== BigInt(doc.amount)) {
      mismatched++;
      problems.push({ id, amount: doc.amount, sent: held[0].amount.value });
    }
  }
  const drift = dbCents > paypalCents ? dbCents - paypalCents : paypalCents - dbCents;
  return {
    twice,
    mismatched,
    driftCents: drift.toString(),
    paidCents: dbCents.toString(),
    problems: problems.slice(0, 5),
  };
}
