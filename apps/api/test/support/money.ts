import { request, TEST_SECRETS, uniqueName, type Stack } from '@seedline/testkit';

export const TERMS = {
  price: '20.00',
  shipping: '5.00',
  taxRate: '0.0825',
  bonus: '1.00',
  currency: 'USD',
};

/** A brand with a campaign that reimburses, and what its influencers and its finance team do. */
export async function moneyCampaign(stack: Stack, reimbursement: Record<string, unknown>, apiKey?: string) {
  const key =
    apiKey ??
    ((
      await request(`${stack.apiUrl}/v1/brands`, {
        method: 'POST',
        token: TEST_SECRETS.ADMIN_TOKEN,
        json: { name: 'Money brand' },
      })
    ).body.apiKey as string);
  const created = await request(`${stack.apiUrl}/v1/campaigns`, {
    method: 'POST',
    token: key,
    json: {
      name: 'Money campaign',
      productUrl: 'https://example.com/product',
      reviewUrl: 'https://example.com/review',
      reimbursement: { ...TERMS, approval: 'auto', ...reimbursement },
    },
  });
  if (created.status !== 201) throw new Error(`campaign: ${created.status} ${JSON.stringify(created.body)}`);
  const campaignId = created.body.id as string;
  const base = `${stack.apiUrl}/v1/campaigns/${campaignId}`;
  return {
    apiKey: key,
    campaignId,
    base,
    async signup(handle: string, email?: string) {
      const res = await request(`${stack.ingestUrl}/v1/signups`, {
        method: 'POST',
        token: TEST_SECRETS.INGEST_TOKEN,
        json: { campaignId, instagramHandle: handle, ...(email ? { email } : {}) },
      });
      if (res.status !== 202) throw new Error(`signup: ${res.status} ${JSON.stringify(res.body)}`);
      const body = res.body as { influencerId: string; links: { purchase: string; review: string; submit: string } };
      return { ...body, submitToken: new URL(body.links.submit).pathname.split('/').pop() as string };
    },
    submit(json: Record<string, unknown>) {
      return request(`${stack.ingestUrl}/v1/submissions`, { method: 'POST', json });
    },
    get: (path = '', token = key) => request(`${base}${path}`, { token }),
    post: (path: string, json: unknown = {}, token = key) => request(`${base}${path}`, { method: 'POST', token, json }),
  };
}

export const postUrl = () =>
  `https://www.instagram.com/p/${uniqueName('p')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-11)}/`;
let orders = Math.floor(Math.random() * 9_000_000);
/** A fresh, well-formed Amazon order number. */
export const orderId = () =>
  `${String(100 + (orders % 900)).padStart(3, '0')}-${String(++orders).padStart(7, '0')}-${String(Date.now() % 10_000_000).padStart(7, '0')}`;
