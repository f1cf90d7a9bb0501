import { TEST_SECRETS, type Stack } from './stack.js';

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T = any>(
  url: string,
  init: RequestInit & { json?: unknown; token?: string } = {},
): Promise<JsonResponse<T>> {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set('Content-Type', 'application/json');
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  const res = await fetch(url, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    redirect: 'manual',
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

/** A brand and a campaign created through the API, and helpers that act as that brand and its influencers. */
export async function seedCampaign(stack: Stack, campaign: Record<string, unknown> = {}) {
  const brand = await request(`${stack.apiUrl}/v1/brands`, {
    method: 'POST',
    token: TEST_SECRETS.ADMIN_TOKEN,
    json: { name: 'Test brand' },
  });
  if (brand.status !== 201) throw new Error(`brand: ${brand.status} ${JSON.stringify(brand.body)}`);
  const apiKey = brand.body.apiKey as string;
  const created = await request(`${stack.apiUrl}/v1/campaigns`, {
    method: 'POST',
    token: apiKey,
    json: {
      name: 'Test campaign',
      productUrl: 'https://example.com/product',
      reviewUrl: 'https://example.com/review',
      ...campaign,
    },
  });
  if (created.status !== 201) throw new Error(`campaign: ${created.status} ${JSON.stringify(created.body)}`);
  const campaignId = created.body.id as string;
  return {
    apiKey,
    brandId: brand.body.id as string,
    campaignId,
    campaign: created.body,
    async signup(handle: string, extra: Record<string, unknown> = {}) {
      const res = await request(`${stack.ingestUrl}/v1/signups`, {
        method: 'POST',
        token: TEST_SECRETS.INGEST_TOKEN,
        json: { campaignId, instagramHandle: handle, ...extra },
      });
      if (res.status !== 202) throw new Error(`signup: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { influencerId: string; links: { purchase: string; review: string; submit: string } };
    },
    async influencer(id: string) {
      return request(`${stack.apiUrl}/v1/campaigns/${campaignId}/influencers/${id}`, { token: apiKey });
    },
    async list(query = '') {
      return request(`${stack.apiUrl}/v1/campaigns/${campaignId}/influencers${query}`, { token: apiKey });
    },
    async summary() {
      return request(`${stack.apiUrl}/v1/campaigns/${campaignId}/summary`, { token: apiKey });
    },
  };
}

export function submitToken(submitLink: string): string {
  return submitLink.split('/s/')[1] as string;
}
