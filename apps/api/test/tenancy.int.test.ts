import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, pollUntil, request, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';

interface Operation {
  method: string;
  path: string;
  security: Record<string, unknown>[];
}

/** Status of a request without reading the body (an event stream never ends). */
async function statusOf(
  url: string,
  init: RequestInit & { json?: unknown; token?: string } = {},
): Promise<{ status: number; text: string }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('Content-Type', 'application/json');
  const controller = new AbortController();
  const res = await fetch(url, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    signal: controller.signal,
    redirect: 'manual',
  });
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    controller.abort();
    return { status: res.status, text: '' };
  }
  return { status: res.status, text: await res.text() };
}

const BODIES: Record<string, unknown> = {
  'post /v1/campaigns': {
    name: 'Tenancy check',
    productUrl: 'https://example.com/p',
    reviewUrl: 'https://example.com/r',
  },
  'patch /v1/campaigns/{id}': { name: 'Renamed by owner' },
  'post /v1/campaigns/{id}/reimbursements/approve': { status: 'pending_review' },
  'post /v1/campaigns/{id}/reimbursements/{rid}/reject': { reason: 'tenancy check' },
  'post /v1/campaigns/{id}/reimbursements/{rid}/paid': { reference: 'tenancy-check' },
  'post /v1/campaigns/{id}/reimbursements/{rid}/approve': {},
  'post /v1/campaigns/{id}/reimbursements/{rid}/retry': {},
  'post /v1/campaigns/{id}/attribution': {
    rows: [{ date: '2025-01-01', clicks: 1, detailPageViews: 1, addToCarts: 1, purchases: 1, unitsSold: 1, sales: 10 }],
  },
  'post /v1/campaigns/{id}/attribution-tags': {
    tags: [
      {
        instagramHandle: 'owner.influencer',
        url: 'https://www.amazon.com/dp/B0X?aa_campaignid=1&aa_adgroupid=2&aa_creativeid=3',
      },
    ],
  },
};

describe('tenancy: every brand route needs a key and never shows another brand’s campaign', () => {
  let stack: Stack;
  let owner: Awaited<ReturnType<typeof seedCampaign>>;
  let intruder: Awaited<ReturnType<typeof seedCampaign>>;
  let influencerId: string;
  let brandRoutes: Operation[];

  beforeAll(async () => {
    stack = await createStack('apitenancy');
    owner = await seedCampaign(stack, { name: 'Owner secret campaign' });
    intruder = await seedCampaign(stack, { name: 'Intruder campaign' });
    influencerId = (await owner.signup('owner.influencer')).influencerId;
    await pollUntil(async () => (await owner.influencer(influencerId)).status === 200, { what: 'sign-up applied' });
    const spec = (await request(`${stack.apiUrl}/openapi.json`)).body;
    brandRoutes = [];
    for (const [path, item] of Object.entries<Record<string, { security?: Record<string, unknown>[] }>>(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op.security?.some((s) => 'brandKey' in s)) brandRoutes.push({ method, path, security: op.security });
      }
    }
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const urlOf = (path: string, campaignId: string) =>
    `${stack.apiUrl}${path.replace('{id}', campaignId).replace('{influencerId}', influencerId)}`;

  it('enumerates the brand routes from the OpenAPI document', () => {
    expect(brandRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'get /v1/campaigns',
        'post /v1/campaigns',
        'get /v1/campaigns/{id}',
        'patch /v1/campaigns/{id}',
        'get /v1/campaigns/{id}/summary',
        'get /v1/campaigns/{id}/influencers',
        'get /v1/campaigns/{id}/influencers.csv',
        'get /v1/campaigns/{id}/influencers/{influencerId}',
        'post /v1/campaigns/{id}/attribution',
        'post /v1/campaigns/{id}/attribution-tags',
        'get /v1/campaigns/{id}/stream',
      ]),
    );
  });

  it('answers 401 without a key and with an unknown key, on every brand route', async () => {
    for (const r of brandRoutes) {
      const json = BODIES[`${r.method} ${r.path}`];
      const none = await statusOf(urlOf(r.path, owner.campaignId), {
        method: r.method.toUpperCase(),
        ...(json ? { json } : {}),
      });
      expect(none.status, `${r.method} ${r.path} without a key`).toBe(401);
      expect(JSON.parse(none.text).error.code).toBe('unauthorized');
      const wrong = await statusOf(urlOf(r.path, owner.campaignId), {
        method: r.method.toUpperCase(),
        token: 'sk_live_not_a_real_key',
        ...(json ? { json } : {}),
      });
      expect(wrong.status, `${r.method} ${r.path} with an unknown key`).toBe(401);
    }
  });

  it("answers 404 to another brand's key on every campaign route, while the owner gets the data", async () => {
    for (const r of brandRoutes.filter((x) => x.path.includes('{id}'))) {
      const json = BODIES[`${r.method} ${r.path}`];
      const init = { method: r.method.toUpperCase(), ...(json ? { json } : {}) };
      const foreign = await statusOf(urlOf(r.path, owner.campaignId), { ...init, token: intruder.apiKey });
      expect(foreign.status, `${r.method} ${r.path} with another brand's key`).toBe(404);
      expect(foreign.text).not.toContain('Owner secret campaign');
      expect(foreign.text).not.toContain('owner.influencer');
      const own = await statusOf(urlOf(r.path, owner.campaignId), { ...init, token: owner.apiKey });
      if (r.path.includes('{rid}')) {
        // No reimbursement has that id: the owner gets past the campaign check to the reimbursement's own 404.
        expect(own.status, `${r.method} ${r.path} with the owner's key`).toBe(404);
        expect(JSON.parse(own.text).error.message).toBe('reimbursement not found');
        expect(JSON.parse(foreign.text).error.message).not.toBe('reimbursement not found');
      } else {
        expect(own.status, `${r.method} ${r.path} with the owner's key`).toBeLessThan(300);
      }
    }
    // The owner's influencer under the intruder's own campaign is not found either.
    const crossed = await request(`${stack.apiUrl}/v1/campaigns/${intruder.campaignId}/influencers/${influencerId}`, {
      token: intruder.apiKey,
    });
    expect(crossed.status).toBe(404);
  });

  it("lists and creates only within the key's brand", async () => {
    const created = await request(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      token: intruder.apiKey,
      json: BODIES['post /v1/campaigns'],
    });
    expect(created.status).toBe(201);
    const intruderList = await request(`${stack.apiUrl}/v1/campaigns`, { token: intruder.apiKey });
    const ids = intruderList.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(created.body.id);
    expect(ids).not.toContain(owner.campaignId);
    expect(JSON.stringify(intruderList.body)).not.toContain('Owner secret campaign');
    const ownerList = await request(`${stack.apiUrl}/v1/campaigns`, { token: owner.apiKey });
    expect(ownerList.body.items.map((c: { id: string }) => c.id)).toEqual([owner.campaignId]);
  });

  it('guards the admin route with ADMIN_TOKEN', async () => {
    expect((await request(`${stack.apiUrl}/v1/brands`, { method: 'POST', json: { name: 'x' } })).status).toBe(401);
    expect(
      (await request(`${stack.apiUrl}/v1/brands`, { method: 'POST', token: owner.apiKey, json: { name: 'x' } })).status,
    ).toBe(401);
    const ok = await request(`${stack.apiUrl}/v1/brands`, {
      method: 'POST',
      token: TEST_SECRETS.ADMIN_TOKEN,
      json: { name: 'Third' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.apiKey).toMatch(/^sk_live_/);
  });
});
