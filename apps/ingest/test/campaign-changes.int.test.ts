import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, pollUntil, request, seedCampaign, type Stack } from '@seedline/testkit';
import { click } from './support/ingest-helpers.js';

/**
 * A brand's change reaches its tracked links at once: the API announces it over Redis and the ingest drops
 * its cached campaign. The cache's TTL is set far beyond the test, so only the announcement can do it.
 */
describe('campaign changes reach the redirect', () => {
  let stack: Stack;
  let c: Awaited<ReturnType<typeof seedCampaign>>;

  beforeAll(async () => {
    stack = await createStack('campaign-changes', { CAMPAIGN_CACHE_MS: '3600000' });
    c = await seedCampaign(stack, {
      productUrl: 'https://example.com/product-v1',
      reviewUrl: 'https://example.com/review-v1',
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const locationOf = async (link: string) => (await click(link)).headers.get('location');
  const patch = (json: Record<string, unknown>) =>
    request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}`, { method: 'PATCH', token: c.apiKey, json });

  it('redirects to a new productUrl and reviewUrl as soon as they are changed', async () => {
    const { links } = await c.signup('changes.one');
    // Cached now: without an announcement the old targets would be served for the TTL (an hour here).
    expect(await locationOf(links.purchase)).toBe('https://example.com/product-v1');
    expect(await locationOf(links.review)).toBe('https://example.com/review-v1');

    expect((await patch({ productUrl: 'https://example.com/product-v2' })).status).toBe(200);
    await pollUntil(async () => (await locationOf(links.purchase)) === 'https://example.com/product-v2', {
      timeoutMs: 10_000,
      what: 'the purchase link to lead to the new productUrl',
    });
    expect((await patch({ reviewUrl: 'https://www.amazon.com/review/create-review?asin=B0V2' })).status).toBe(200);
    await pollUntil(
      async () => (await locationOf(links.review)) === 'https://www.amazon.com/review/create-review?asin=B0V2',
      { timeoutMs: 10_000, what: 'the review link to lead to the new reviewUrl' },
    );
  });

  it("sends a purchase link to the influencer's tag as soon as it is uploaded", async () => {
    const { influencerId, links } = await c.signup('changes.tagged');
    expect(await locationOf(links.purchase)).toBe('https://example.com/product-v2');
    // Tags are taken for influencers whose sign-up the worker has applied.
    await pollUntil(async () => (await c.influencer(influencerId)).status === 200, { what: 'the sign-up' });
    const tag = 'https://www.amazon.com/dp/B0TAG?aa_campaignid=11&aa_adgroupid=22&aa_creativeid=33';
    const upload = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution-tags`, {
      method: 'POST',
      token: c.apiKey,
      json: { tags: [{ instagramHandle: 'changes.tagged', url: tag }] },
    });
    expect(upload.status).toBe(200);
    await pollUntil(async () => (await locationOf(links.purchase)) === tag, {
      timeoutMs: 10_000,
      what: 'the purchase link to lead to the uploaded tag',
    });
  });
});
