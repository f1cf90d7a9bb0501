import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, createStack, pollUntil, request, seedCampaign, submitToken, type Stack } from '@seedline/testkit';
import { SseReader, type SseEvent } from './support/sse.js';

const isStatus = (influencerId: string, status: string) => (e: SseEvent) =>
  e.event === 'status' && JSON.parse(e.data).influencerId === influencerId && JSON.parse(e.data).status === status;

describe('live stream: real tracked-link clicks reach a browser over server-sent events', () => {
  let stack: Stack;
  let c: Awaited<ReturnType<typeof seedCampaign>>;
  const open: SseReader[] = [];
  const connect = async (headers: Record<string, string> = {}, query = '') => {
    const reader = await SseReader.open(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/stream${query}`, {
      Authorization: `Bearer ${c.apiKey}`,
      ...headers,
    });
    open.push(reader);
    return reader;
  };

  beforeAll(async () => {
    stack = await createStack('apistream', { STREAM_HEARTBEAT_MS: '300' });
    c = await seedCampaign(stack, { requirements: { hashtags: ['ad'] } });
  });
  afterAll(async () => {
    await Promise.all(open.map((r) => r.close()));
    await stack?.stop();
  });

  it('sends the summary on connect, then each status change with an id and a summary after it', async () => {
    const { influencerId, links } = await c.signup('stream.one');
    await pollUntil(async () => (await c.list()).body.items?.length === 1, { what: 'sign-up applied' });

    const live = await connect();
    expect(live.status).toBe(200);
    const first = await live.next();
    expect(live.retry).toBe(2000);
    expect(first.event).toBe('summary');
    expect(JSON.parse(first.data)).toMatchObject({
      campaignId: c.campaignId,
      total: 1,
      stages: { signed_up: 1, purchased: 0 },
    });

    const click = await fetch(links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    expect(click.status).toBe(302);
    const status = await live.next(isStatus(influencerId, 'purchased'));
    expect(status.id).toMatch(/^\d+-\d+$/);
    expect(JSON.parse(status.data)).toEqual({
      influencerId,
      instagramHandle: 'stream.one',
      from: 'signed_up',
      status: 'purchased',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const summary = await live.next((e) => e.event === 'summary');
    expect(summary.id).toBe(status.id);
    expect(JSON.parse(summary.data)).toMatchObject({
      total: 1,
      stages: { signed_up: 0, purchased: 1 },
      estimatedPurchases: 1,
    });
    await live.ping();
  });

  it('resends what a client missed when it reconnects with Last-Event-ID (header or query)', async () => {
    const { influencerId, links } = await c.signup('stream.two');
    const live = await connect();
    await live.next((e) => e.event === 'summary');
    await fetch(links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    const seen = await live.next(isStatus(influencerId, 'purchased'));
    await live.close();

    // While nobody listens: the post is accepted (done), then the review link is clicked (followed_up).
    const accepted = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(links.submit),
        postUrl: 'https://www.instagram.com/p/Cstream2/',
        caption: 'love it #ad',
      },
    });
    expect(accepted.status).toBe(202);
    await pollUntil(async () => (await c.influencer(influencerId)).body.status === 'done', { what: 'done' });
    await fetch(links.review, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    await pollUntil(async () => (await c.influencer(influencerId)).body.status === 'followed_up', {
      what: 'followed_up',
    });

    const resumes: { headers: Record<string, string>; query: string }[] = [
      { headers: { 'Last-Event-ID': seen.id! }, query: '' },
      { headers: {}, query: `?lastEventId=${seen.id}` },
    ];
    for (const resume of resumes) {
      const again = await connect(resume.headers, resume.query);
      const summary = await again.next();
      expect(summary.event).toBe('summary');
      expect(JSON.parse(summary.data).stages.followed_up).toBe(1);
      const done = await again.next((e) => e.event === 'status');
      const followed = await again.next((e) => e.event === 'status');
      expect([JSON.parse(done.data).status, JSON.parse(followed.data).status]).toEqual(['done', 'followed_up']);
      expect(JSON.parse(done.data)).toMatchObject({ influencerId, from: 'purchased' });
      const after = await again.next((e) => e.event === 'summary');
      expect(after.id).toBe(followed.id);
      // Nothing at or before the resume point is sent again.
      expect(again.events.filter((e) => e.event === 'status').map((e) => e.id)).not.toContain(seen.id);
      await again.close();
    }
  });

  it('sends a summary when a sign-up or an attribution upload moves it, with no status event', async () => {
    const live = await connect();
    const before = JSON.parse((await live.next((e) => e.event === 'summary')).data);
    await c.signup('stream.newcomer');
    const grown = await live.next((e) => e.event === 'summary' && JSON.parse(e.data).total === before.total + 1);
    expect(JSON.parse(grown.data).stages.signed_up).toBe(before.stages.signed_up + 1);

    const rows = [{ date: '2025-03-01', clicks: 9, detailPageViews: 5, addToCarts: 2, purchases: 4, unitsSold: 4 }];
    const upload = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/attribution`, {
      method: 'POST',
      token: c.apiKey,
      json: { rows: rows.map((r) => ({ ...r, sales: 79.96 })) },
    });
    expect(upload.status).toBe(200);
    const reported = await live.next((e) => e.event === 'summary' && JSON.parse(e.data).attribution !== null);
    expect(JSON.parse(reported.data).attribution).toMatchObject({ purchases: 4 });
    expect(live.events.filter((e) => e.event === 'status')).toEqual([]);
  });

  it('delivers each entry to every client of the campaign and scopes streams to the brand', async () => {
    const a = await connect();
    const b = await connect();
    await Promise.all([a.next(), b.next()]);
    const { influencerId, links } = await c.signup('stream.three');
    await fetch(links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    const [ea, eb] = await Promise.all([
      a.next(isStatus(influencerId, 'purchased')),
      b.next(isStatus(influencerId, 'purchased')),
    ]);
    expect(ea.id).toBe(eb.id);

    const other = await seedCampaign(stack);
    const foreign = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/stream`, { token: other.apiKey });
    expect(foreign.status).toBe(404);
    const bad = await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/stream`, {
      token: c.apiKey,
      headers: { 'Last-Event-ID': 'nope' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('headers.last-event-id');

    // The api follows the queues' event streams: the clicks the worker applied show up as jobs and events.
    const metrics = await pollUntil(
      async () => {
        const text = await (await fetch(`${stack.apiUrl}/metrics`)).text();
        return /seedline_events_processed_total\{kind="click"\} [1-9]/.test(text) &&
          /seedline_events_processed_total\{kind="signup"\} [1-9]/.test(text)
          ? text
          : undefined;
      },
      { what: 'job metrics' },
    );
    expect(metrics).toMatch(/seedline_job_duration_seconds_count\{queue="clicks",outcome="completed"\} [1-9]/);
    expect(metrics).toMatch(/seedline_live_streams_open [1-9]/);
  });
});
