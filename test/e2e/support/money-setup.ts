import { expect } from 'vitest';
import { fbaReturnsReport, pollUntil, request, seedCampaign, submitToken, type Stack } from '@seedline/testkit';

export const GLOW_PRODUCT = 'https://www.amazon.com/Glow-Serum/dp/B0CX7Q2M1N';
export type MoneyCampaign = Awaited<ReturnType<typeof seedMoneyCampaign>>;

let orders = 1000 + Math.floor(Math.random() * 8000);
/** A well-formed Amazon order number, fresh for each call (order numbers are unique across the platform). */
export const orderNumber = () =>
  `113-${String(++orders).padStart(7, '0')}-${String(Date.now() % 10_000_000).padStart(7, '0')}`;

/**
 * A brand whose campaign reimburses 20.00 USD per influencer on review, within a 50.00 budget: `proofs`
 * sign up and send their post with proof of purchase (so their reimbursements wait for review), `others` only
 * sign up; a campaign `No money` of the same brand reimburses nothing. Resolves once the worker has made every proof's reimbursement due.
 */
export async function seedMoneyCampaign(stack: Stack, proofs: string[], others: string[] = []) {
  const c = await seedCampaign(stack, {
    name: 'Glow money',
    productUrl: GLOW_PRODUCT,
    reimbursement: { price: '20.00', currency: 'USD', approval: 'review', budget: '50.00' },
  });
  // Beside it, a campaign of the same brand that reimburses nothing.
  const plain = await request(`${stack.apiUrl}/v1/campaigns`, {
    method: 'POST',
    token: c.apiKey,
    json: { name: 'No money', productUrl: GLOW_PRODUCT, reviewUrl: GLOW_PRODUCT },
  });
  expect(plain.status).toBe(201);
  const ids = new Map<string, string>();
  const orderOf = new Map<string, string>();
  for (const handle of [...proofs, ...others]) {
    const who = await c.signup(handle);
    ids.set(handle, who.influencerId);
    if (!proofs.includes(handle)) continue;
    const order = orderNumber();
    orderOf.set(handle, order);
    const sent = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(who.links.submit),
        postUrl: `https://www.instagram.com/p/Cmoney${ids.size}x/`,
        orderId: order,
        amountPaid: '20.00',
        payoutEmail: `${handle}@example.com`,
      },
    });
    expect(sent.status, `${handle}'s proof`).toBe(202);
  }
  const base = `${stack.apiUrl}/v1/campaigns/${c.campaignId}`;
  await pollUntil(
    async () => {
      const res = await request(`${base}/reimbursements?status=pending_review`, { token: c.apiKey });
      return res.body.items?.length === proofs.length || undefined;
    },
    { what: 'every proof waiting for review', timeoutMs: 30_000 },
  );
  return {
    ...c,
    ids,
    orderOf,
    /** a return of `handle`'s order, as Amazon's FBA customer returns report says it */
    async returnOrder(handle: string) {
      const res = await request(`${stack.apiUrl}/v1/returns`, {
        method: 'POST',
        token: c.apiKey,
        body: fbaReturnsReport([{ orderId: orderOf.get(handle)!, returnDate: new Date().toISOString() }]),
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(res.status).toBe(200);
      expect(res.body.matched).toBe(1);
    },
    async currentWeek(): Promise<string> {
      return (await request(`${stack.apiUrl}/v1/brand`, { token: c.apiKey })).body.currentWeek as string;
    },
  };
}
