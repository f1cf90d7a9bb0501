import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, createStack, pollUntil, request, seedCampaign, submitToken, type Stack } from '@seedline/testkit';

describe('first slice: brand → campaign → sign-up → purchase → post → review, through real processes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack('slice');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('moves an influencer through every status and the API shows it', async () => {
    const c = await seedCampaign(stack, { requirements: { hashtags: ['ad'], mentions: ['acme'] } });
    const { influencerId, links } = await c.signup('@Jane.Doe');
    expect(influencerId).toMatch(/^[0-9a-f]{24}$/);

    const signedUp = await pollUntil(
      async () => {
        const r = await c.list();
        return r.body.items?.length === 1 ? r.body.items[0] : undefined;
      },
      { what: 'sign-up to be applied' },
    );
    expect(signedUp).toMatchObject({
      id: influencerId,
      instagramHandle: 'jane.doe',
      status: 'signed_up',
      statusLabel: 'Signed Up',
    });

    const click = await fetch(links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://example.com/product');
    await pollUntil(async () => (await c.influencer(influencerId)).body.status === 'purchased', { what: 'purchased' });

    const rejected = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(links.submit),
        postUrl: 'https://www.instagram.com/p/Cabc123/',
        caption: 'no tags here',
      },
    });
    expect(rejected.status).toBe(202);
    await pollUntil(async () => (await c.influencer(influencerId)).body.submission?.accepted === false, {
      what: 'rejection',
    });
    expect((await c.influencer(influencerId)).body.status).toBe('purchased');

    const accepted = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(links.submit),
        postUrl: 'https://instagram.com/reel/Cabc123/?igsh=x',
        caption: 'Loving it #AD with @Acme!',
      },
    });
    expect(accepted.status).toBe(202);
    await pollUntil(async () => (await c.influencer(influencerId)).body.status === 'done', { what: 'done' });

    const review = await fetch(links.review, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    expect(review.headers.get('location')).toBe('https://example.com/review');
    await pollUntil(async () => (await c.influencer(influencerId)).body.status === 'followed_up', {
      what: 'followed_up',
    });

    const detail = (await c.influencer(influencerId)).body;
    expect(detail).toMatchObject({ purchaseClicks: 1, reviewClicks: 1, statusLabel: 'Followed Up' });
    expect(detail.submission).toMatchObject({ accepted: true, postUrl: 'https://www.instagram.com/reel/Cabc123/' });
    const types = detail.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'signup',
        'purchase_click',
        'submission_rejected',
        'submission_accepted',
        'review_click',
        'status_change',
      ]),
    );
    expect(types.filter((t: string) => t === 'status_change')).toHaveLength(3);

    const summary = (await c.summary()).body;
    expect(summary).toMatchObject({
      campaignId: c.campaignId,
      total: 1,
      stages: { signed_up: 0, purchased: 0, done: 0, followed_up: 1 },
      estimatedPurchases: 1,
      attribution: null,
    });
    const list = (await c.list()).body;
    expect(list.items[0]).toMatchObject({ id: influencerId, status: 'followed_up' });
  });
});
