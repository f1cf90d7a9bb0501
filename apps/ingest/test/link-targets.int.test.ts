import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, createStack, pollUntil, request, seedCampaign, type Stack } from '@seedline/testkit';
import { click } from './support/ingest-helpers.js';

/**
 * The redirect allow-list: the API refuses off-list targets on create and update, and a target stored while
 * it was allowed (before the allow-list, or before the operator narrowed it) answers 410, click recorded.
 */
describe('redirect targets', () => {
  let stack: Stack;
  let oldCampaign: Awaited<ReturnType<typeof seedCampaign>>;

  beforeAll(async () => {
    // The API first, with a wider allow-list: it stores a target the ingest, started below, refuses.
    stack = await createStack('link-targets', { ALLOWED_REDIRECT_HOSTS: 'old.example,*.brand.example' }, ['api']);
    oldCampaign = await seedCampaign(stack, {
      productUrl: 'https://old.example/product',
      reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0TEST',
    });
    // Every click reloads the campaign, so the refusal is seen on every load and must still be logged once.
    stack.env.ALLOWED_REDIRECT_HOSTS = '*.brand.example';
    stack.env.CAMPAIGN_CACHE_MS = '0';
    await stack.start('ingest');
    await stack.start('worker');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const create = (apiKey: string, json: Record<string, unknown>) =>
    request(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      token: apiKey,
      json: { name: 'Targets', productUrl: 'https://www.amazon.com/dp/B0', reviewUrl: 'https://amazon.de/r', ...json },
    });

  it('refuses off-list, http, user-info and port targets on create, naming the field', async () => {
    const refused: [string, string][] = [
      ['productUrl', 'https://amazon.com@evil.example/'],
      ['productUrl', 'http://www.amazon.com/dp/B0'],
      ['reviewUrl', 'https://www.amazon.com:8443/r'],
      ['reviewUrl', 'https://evil.example/r'],
      ['productUrl', 'https://brand.example/p'],
      ['reviewUrl', 'https://www.amazon.com.evil.example/r'],
    ];
    for (const [field, url] of refused) {
      const res = await create(oldCampaign.apiKey, { [field]: url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([`body.${field}`]);
    }
    const allowed = await create(oldCampaign.apiKey, {
      productUrl: 'https://shop.brand.example/p',
      reviewUrl: 'https://smile.amazon.co.uk/r',
    });
    expect(allowed.status).toBe(201);
    // Stored as the URL parser writes them, which is what the links redirect to.
    const typed = await create(oldCampaign.apiKey, {
      productUrl: 'HTTPS://WWW.AMAZON.COM:443/dp/B0',
      reviewUrl: 'https://@www.amazon.com/r',
    });
    expect(typed.status).toBe(201);
    expect(typed.body).toMatchObject({
      productUrl: 'https://www.amazon.com/dp/B0',
      reviewUrl: 'https://www.amazon.com/r',
    });
  });

  it('refuses them on update too, and changes nothing', async () => {
    const url = `${stack.apiUrl}/v1/campaigns/${oldCampaign.campaignId}`;
    const bad = await request(url, {
      method: 'PATCH',
      token: oldCampaign.apiKey,
      json: { name: 'Renamed', reviewUrl: 'https://user:pw@www.amazon.com/r' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.reviewUrl']);
    const now = await request(url, { token: oldCampaign.apiKey });
    expect(now.body).toMatchObject({
      name: 'Test campaign',
      reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0TEST',
    });
  });

  it('answers 410 link_disabled for a stored target now refused, records the click and logs once', async () => {
    const first = await oldCampaign.signup('disabled.one');
    const second = await oldCampaign.signup('disabled.two');
    for (const link of [first.links.purchase, second.links.purchase, first.links.purchase]) {
      const res = await fetch(link, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
      expect(res.status).toBe(410);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('x-error-code')).toBe('link_disabled');
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('Link disabled');
    }
    // The review target is still allowed: that link keeps redirecting.
    const review = await click(first.links.review);
    expect(review.status).toBe(302);
    expect(review.headers.get('location')).toBe('https://www.amazon.com/review/create-review?asin=B0TEST');

    const seen = await pollUntil(
      async () => {
        const body = (await oldCampaign.influencer(first.influencerId)).body;
        return body.purchaseClicks === 2 && body.status === 'purchased' ? body : undefined;
      },
      { what: 'the disabled link clicks to be recorded' },
    );
    expect(seen.purchaseClicks).toBe(2);
    const logLines = (stack.apps.ingest?.logs() ?? '')
      .split('\n')
      .filter((l) => l.includes('refused by the allow-list'));
    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0] as string)).toMatchObject({
      level: 50,
      campaignId: oldCampaign.campaignId,
      refused: { productUrl: expect.stringContaining('old.example') },
    });
  });
});
