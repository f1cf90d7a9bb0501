import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLinkToken, signUnsubscribeToken } from '@seedline/domain';
import { createStack, pollUntil, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';

/** The unsubscribe page and one-click endpoint of reminder emails, over a real ingest (no worker: jobs stay countable). */
describe('unsubscribe links', () => {
  let stack: Stack;
  let redis: Redis;
  let queue: Queue;
  let campaignId = '';
  let influencerId = '';
  let token = '';

  beforeAll(async () => {
    stack = await createStack('unsub', { LOG_LEVEL: 'debug' }, ['api', 'ingest']);
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    queue = new Queue('unsubscribes', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
    const c = await seedCampaign(stack, { name: 'Glow <Serum>' });
    campaignId = c.campaignId;
    influencerId = (await c.signup('ava.unsub', { email: 'ava@example.com' })).influencerId;
    token = signUnsubscribeToken({ campaignId, influencerId }, TEST_SECRETS.LINK_SECRET);
  });
  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
    await stack?.stop();
  });

  const jobs = async () => queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
  const url = (t: string) => `${stack.ingestUrl}/u/${t}`;

  it('shows a confirm page on GET, records nothing, and answers 404 to forged or foreign tokens', async () => {
    const page = await fetch(url(token));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self'/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('Stop reminders about Glow &lt;Serum&gt;?');
    expect(html).toContain('<form method="post">');
    expect(html).not.toMatch(/<script/i);

    const purchaseToken = signLinkToken({ kind: 'purchase', campaignId, influencerId }, TEST_SECRETS.LINK_SECRET);
    const forged = signUnsubscribeToken({ campaignId, influencerId }, 'another-secret-0123456789');
    for (const bad of [purchaseToken, forged, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 'x']) {
      expect((await fetch(url(bad))).status, bad).toBe(404);
      expect(
        (
          await fetch(url(bad), {
            method: 'POST',
            body: 'List-Unsubscribe=One-Click',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          })
        ).status,
      ).toBe(404);
    }
    expect(await jobs()).toEqual([]);
  });

  it('unsubscribes on the page’s button (a page back) and on a one-click POST (an empty 200), once', async () => {
    const confirmed = await fetch(url(token), {
      method: 'POST',
      body: 'confirm=yes',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('You are unsubscribed');
    const oneClick = await fetch(url(token), {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect([oneClick.status, await oneClick.text()]).toEqual([200, '']);
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    expect((await fetch(url(token), { method: 'POST', body: multipart })).status).toBe(200);

    // One job per request (a repeat must not be folded into an earlier job that may have failed); the
    // worker's entry is one per influencer.
    const found = await jobs();
    expect(found).toHaveLength(3);
    expect(new Set(found.map((j) => j.id)).size).toBe(3);
    expect(found.map((j) => j.data).sort((a, b) => (a.via < b.via ? -1 : 1))[0]).toEqual({
      eventId: expect.stringMatching(new RegExp(`^unsubscribe-${influencerId}-\\d+$`)),
      campaignId,
      influencerId,
      at: expect.any(String),
      via: 'confirm-page',
    });
    // Tokens are capabilities: the request log names the route, never the token.
    await pollUntil(() => stack.apps.ingest?.logs().includes('"/u/:token"'), { what: 'the request log lines' });
    expect(stack.apps.ingest?.logs()).not.toContain(token);
  });
});
