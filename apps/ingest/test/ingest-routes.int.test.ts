import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_UA,
  createStack,
  pollUntil,
  request,
  seedCampaign,
  submitToken,
  TEST_SECRETS,
  type Stack,
} from '@seedline/testkit';
import { click, flip, JobCounter, tokenOf } from './support/ingest-helpers.js';

const INGEST = TEST_SECRETS.INGEST_TOKEN;

describe('sign-ups, the tracker feed and the public form', () => {
  let stack: Stack;
  let jobs: JobCounter;
  let c: Awaited<ReturnType<typeof seedCampaign>>;
  beforeAll(async () => {
    stack = await createStack('routes', {
      PUBLIC_POST_LIMIT: '5',
      LINK_RECORD_LIMIT: '5',
      INGEST_AUTH_FAILURE_LIMIT: '3',
    });
    jobs = new JobCounter(stack);
    c = await seedCampaign(stack);
  });
  afterAll(async () => {
    await jobs?.close();
    await stack?.stop();
  });

  const signup = (json: unknown) => request(`${stack.ingestUrl}/v1/signups`, { method: 'POST', token: INGEST, json });
  const feed = (events: unknown[]) =>
    request(`${stack.ingestUrl}/v1/clicks`, { method: 'POST', token: INGEST, json: { events } });
  const submit = (json: unknown, ip: string) =>
    request(`${stack.ingestUrl}/v1/submissions`, { method: 'POST', json, headers: { 'X-Forwarded-For': ip } });

  it('makes a sign-up idempotent per campaign and handle, and answers an unknown campaign with 404', async () => {
    const first = await signup({ campaignId: c.campaignId, instagramHandle: '@Same.Handle' });
    expect(first.status).toBe(202);
    for (const spelling of ['same.handle', ' SAME.HANDLE ', '@same.Handle']) {
      const again = await signup({ campaignId: c.campaignId, instagramHandle: spelling, email: 'same@example.com' });
      expect(again.status).toBe(202);
      expect(again.body).toEqual(first.body);
    }
    const elsewhere = await seedCampaign(stack);
    const other = await signup({ campaignId: elsewhere.campaignId, instagramHandle: 'same.handle' });
    expect(other.status).toBe(202);
    expect(other.body.influencerId).not.toBe(first.body.influencerId);

    const before = await jobs.counts();
    const unknown = await signup({ campaignId: '0123456789abcdef01234567', instagramHandle: 'same.handle' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: 'campaign not found' } });
    const invalid = await signup({
      campaignId: 'nope',
      instagramHandle: 'not a handle!',
      email: 'x',
      timezone: 'Mars/Base',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.campaignId',
      'body.email',
      'body.instagramHandle',
      'body.timezone',
    ]);
    expect(await jobs.counts()).toEqual(before);

    const listed = await pollUntil(
      async () => {
        const items = (await c.list()).body.items;
        return items?.length === 1 ? items : undefined;
      },
      { what: 'the one influencer' },
    );
    expect(listed[0]).toMatchObject({
      id: first.body.influencerId,
      instagramHandle: 'same.handle',
      status: 'signed_up',
    });
    expect((await elsewhere.list()).body.items).toHaveLength(1);
  });

  it('answers a tracked link whose URL is over 16 KiB with a JSON 431, not a bare status line', async () => {
    const res = await fetch(`${stack.ingestUrl}/l/x?q=${'a'.repeat(17 * 1024)}`, { redirect: 'manual' });
    expect(res.status).toBe(431);
    expect(await res.json()).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
  });

  it("shows the proof form's example amount in the campaign's currency (no decimals for JPY)", async () => {
    const yen = await seedCampaign(stack, {
      reimbursement: { price: '2499', shipping: '0', currency: 'JPY', approval: 'auto' },
    });
    const { links } = await yen.signup('pays.in.yen');
    const html = await (await fetch(links.submit)).text();
    expect(html).toContain('placeholder="25"');
    expect(html).not.toContain('24.99');
  });

  it('takes a full batch at the schema limits: 1,000 events, each with the longest id and user agent', async () => {
    const { influencerId, links } = await c.signup('fed.at.limits');
    const token = tokenOf(links.purchase);
    const userAgent = `${BROWSER_UA} ${'x'.repeat(1024)}`.slice(0, 1024);
    const events = Array.from({ length: 1000 }, (_, i) => ({ eventId: `e${i}-`.padEnd(126, 'x'), token, userAgent }));
    expect(JSON.stringify({ events }).length).toBeGreaterThan(1024 * 1024);
    expect(await feed(events)).toMatchObject({ status: 202, body: { accepted: 1000 } });
    // The detail keeps the facts however many clicks came after them: the latest 500 clicks, the rest counted.
    const d = await pollUntil(async () => {
      const body = (await c.influencer(influencerId)).body;
      return body.purchaseClicks === 1000 && body;
    });
    const types = d.timeline.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('signup');
    expect(types).toContain('status_change');
    expect(types.filter((t: string) => t === 'purchase_click')).toHaveLength(500);
    expect(d.timelineClicksOmitted).toBe(500);
  });

  it('takes forwarded clicks once per eventId, and a batch with one bad token not at all', async () => {
    const { influencerId, links } = await c.signup('fed.by.tracker');
    const purchase = tokenOf(links.purchase);
    const review = tokenOf(links.review);
    const longId = `e${'x'.repeat(125)}`; // the longest id the feed takes
    const batch = [
      { eventId: 'evt-1', token: purchase, userAgent: BROWSER_UA, ip: '203.0.113.9' },
      { eventId: 'evt-1', token: purchase, userAgent: BROWSER_UA }, // the same event twice in one batch
      { eventId: longId, token: purchase, userAgent: BROWSER_UA, at: new Date(Date.now() - 60_000).toISOString() },
      { eventId: 'evt-bot', token: review, userAgent: 'facebookexternalhit/1.1' },
      { eventId: 'evt-no-ua', token: purchase },
    ];
    expect(await feed(batch)).toMatchObject({ status: 202 });
    expect(await feed(batch)).toMatchObject({ status: 202 }); // a tracker retrying the whole batch
    expect(await feed([{ eventId: 'evt-1', token: purchase, userAgent: BROWSER_UA }])).toMatchObject({ status: 202 });

    const before = await jobs.counts();
    const rejected = await feed([
      { eventId: 'evt-9', token: purchase, userAgent: BROWSER_UA },
      { eventId: 'evt-10', token: flip(purchase, 30) },
      { eventId: 'evt-11', token: tokenOf(links.submit) },
    ]);
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.details).toEqual([
      { path: 'body.events.1.token', message: 'not a valid purchase or review link token' },
      { path: 'body.events.2.token', message: 'not a valid purchase or review link token' },
    ]);
    const invalid = await feed([
      { eventId: 'has:colon', token: purchase },
      { eventId: `e${'x'.repeat(126)}`, token: purchase },
      { eventId: 'future', token: purchase, at: new Date(Date.now() + 3_600_000).toISOString() },
      { eventId: 'ip', token: purchase, ip: 'localhost' },
      { eventId: 'extra', token: purchase, status: 'done' },
    ]);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.events.0.eventId',
      'body.events.1.eventId',
      'body.events.2.at',
      'body.events.3.ip',
      'body.events.4',
    ]);
    expect((await feed([])).status).toBe(400);
    expect((await feed(Array.from({ length: 1001 }, (_, i) => ({ eventId: `n${i}`, token: purchase })))).status).toBe(
      400,
    );
    expect(await jobs.counts()).toEqual(before);

    const d = await pollUntil(
      async () => {
        const body = (await c.influencer(influencerId)).body;
        if (body.purchaseClicks !== 2 || body.botClicks !== 2 || body.status !== 'purchased') {
          throw new Error(`purchase ${body.purchaseClicks}, bot ${body.botClicks}, ${body.status}`);
        }
        return body;
      },
      { what: 'forwarded clicks' },
    );
    expect(d.reviewClicks).toBe(0);
    const sources = new Set(
      d.timeline.filter((e: { type: string }) => e.type.endsWith('_click')).map((e: { source: string }) => e.source),
    );
    expect([...sources]).toEqual(['link tracker feed']);
  });

  it('limits public POSTs per address with 429 and Retry-After, but never a tracked link', async () => {
    const { links } = await c.signup('limited');
    const token = submitToken(links.submit);
    const post = { token, postUrl: 'https://www.instagram.com/p/Climit1/', caption: 'hi' };
    for (let i = 0; i < 5; i++) expect((await submit(post, '198.51.100.77')).status).toBe(202);
    const refused = await submit(post, '198.51.100.77');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // An IPv6 client is counted by its /64: another address of the same prefix is refused too.
    for (let i = 0; i < 5; i++) expect((await submit(post, `2001:db8:1:2::${i + 1}`)).status).toBe(202);
    expect((await submit(post, '2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await submit(post, '198.51.100.78')).status).toBe(202);

    for (let i = 0; i < 12; i++) {
      const res = await click(links.purchase, { ip: '198.51.100.77' });
      expect(res.status).toBe(302);
    }
  });

  it('limits wrong ingest tokens per address: 429 before the token is compared, missing tokens not counted', async () => {
    const as = (ip: string, token: string | undefined, path = '/v1/signups') =>
      request(`${stack.ingestUrl}${path}`, {
        method: 'POST',
        ...(token ? { token } : {}),
        json: path === '/v1/signups' ? { campaignId: c.campaignId, instagramHandle: 'tokenlimit' } : { events: [] },
        headers: { 'X-Forwarded-For': ip },
      });
    for (let i = 0; i < 5; i++) expect((await as('198.51.100.90', undefined)).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await as('198.51.100.90', `wrong-${i}`)).status).toBe(401);
    // Past the limit even the right token is refused from there (a right guess reads like a wrong one), on the
    // click feed too: both routes share the count.
    for (const path of ['/v1/signups', '/v1/clicks']) {
      const refused = await as('198.51.100.90', INGEST, path);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // Another address is not affected; an IPv6 client counts by its /64.
    expect((await as('198.51.100.91', INGEST)).status).toBe(202);
    for (let i = 0; i < 3; i++) expect((await as(`2001:db8:9:9::${i + 1}`, 'wrong')).status).toBe(401);
    expect((await as('2001:db8:9:9::ffff', INGEST)).status).toBe(429);
  });

  it('serves the submission form for a submit token only', async () => {
    const { links } = await c.signup('form.user');
    const page = await fetch(links.submit);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('<form');
    expect((await fetch(links.submit.replace('/s/', '/l/'), { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${stack.ingestUrl}/s/${tokenOf(links.purchase)}`)).status).toBe(404);
  });
});
