import { Webhook } from 'standardwebhooks';
import { webhookEventBody } from '@seedline/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_UA,
  createStack,
  hookHeaders,
  HookReceiver,
  pollUntil,
  request,
  seedCampaign,
  submitToken,
  type Stack,
} from '@seedline/testkit';

/** A received body, parsed with the domain's schema: this endpoint subscribed to status changes only. */
function statusEvent(body: unknown) {
  const event = webhookEventBody.parse(body);
  if (event.type !== 'influencer.status_changed') throw new Error(`unexpected ${event.type}`);
  return event;
}
type Event = ReturnType<typeof statusEvent>;

/**
 * Brand webhooks end to end: real api, ingest and worker processes, a real receiver on loopback
 * (WEBHOOK_ALLOW_PRIVATE=1 here), every delivery verified with the specification's reference library.
 */
describe('brand webhooks', { timeout: 240_000 }, () => {
  let stack: Stack;
  const receiver = new HookReceiver();
  let receiverUrl: string;

  beforeAll(async () => {
    stack = await createStack('webhooks', {
      WEBHOOK_ALLOW_PRIVATE: '1',
      // Shortened: 0, 2, 4, then every 8 s, for about 70 s.
      WEBHOOK_RETRY_SCHEDULE: '0,2,4,8,8,8,8,8,8,8,8',
      WEBHOOK_DELIVERY_TIMEOUT_MS: '3000',
    });
    receiverUrl = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await stack?.stop();
  });

  it('delivers every event through a receiver down 30 s, then failing twice: once each, ordered by sequence', async () => {
    const c = await seedCampaign(stack, { requirements: { hashtags: ['ad'], mentions: ['acme'] } });
    const created = await request(`${stack.apiUrl}/v1/webhook-endpoints`, {
      method: 'POST',
      token: c.apiKey,
      json: { url: `${receiverUrl}/hooks`, events: ['influencer.status_changed'], description: 'CRM' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: `${receiverUrl}/hooks`, events: ['influencer.status_changed'] });
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const endpointId = created.body.id as string;
    // The secret is shown once.
    expect((await request(`${stack.apiUrl}/v1/webhook-endpoints/${endpointId}`, { token: c.apiKey })).body.secret).toBe(
      undefined,
    );

    // The receiver goes down; the brand's influencers move meanwhile.
    const port = receiver.port;
    await receiver.stop();
    const downAt = Date.now();
    const handles = ['ana', 'ben', 'cleo'];
    const people = await Promise.all(handles.map((h) => c.signup(h)));
    for (const p of people) {
      const status = async () => (await c.influencer(p.influencerId)).body.status as string;
      await pollUntil(async () => (await c.list()).body.items?.some((i: { id: string }) => i.id === p.influencerId));
      await fetch(p.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
      await pollUntil(async () => (await status()) === 'purchased', { what: 'purchased' });
      await request(`${stack.ingestUrl}/v1/submissions`, {
        method: 'POST',
        json: {
          token: submitToken(p.links.submit),
          postUrl: 'https://instagram.com/reel/Cabc123/?igsh=x',
          caption: 'Loving it #AD with @Acme!',
        },
      });
      await pollUntil(async () => (await status()) === 'done', { what: 'done' });
      await fetch(p.links.review, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
      await pollUntil(async () => (await status()) === 'followed_up', { what: 'followed_up' });
    }
    const expected = people.length * 3;
    // Deliveries are recorded and failing while the receiver is down.
    const failing = await pollUntil(
      async () => {
        const page = await request(`${stack.apiUrl}/v1/webhook-endpoints/${endpointId}/deliveries?status=pending`, {
          token: c.apiKey,
        });
        return (
          page.body.items?.length === expected &&
          page.body.items.every((d: { attempts: unknown[] }) => d.attempts.length > 0) &&
          page.body.items
        );
      },
      { what: 'every delivery attempted and pending', timeoutMs: 60_000 },
    );
    expect(failing[0].attempts[0]).toMatchObject({ status: null });
    expect(failing[0].attempts[0].error).toMatch(/ECONNREFUSED/);

    // Down for 30 s in all (the scenario's clock, not a poll), then two 500s, then 200s.
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - downAt))));
    const processed = new Map<string, Event>();
    const verifier = new Webhook(secret);
    let failures = 0;
    receiver.answer = (req) => {
      const event = statusEvent(verifier.verify(req.body, hookHeaders(req)));
      if (failures < 2) {
        failures++;
        return { status: 500, body: 'try later' };
      }
      // An idempotent receiver: an id seen before is acknowledged and not processed again.
      const id = String(req.headers['webhook-id']);
      if (!processed.has(id)) processed.set(id, event);
      return { status: 200, body: 'ok' };
    };
    await receiver.start('127.0.0.1', port);
    await pollUntil(() => processed.size === expected, { what: `${expected} events processed`, timeoutMs: 120_000 });

    // Every request the receiver got verifies with the reference library and carries a stable id.
    const ids = receiver.requests.map((r) => String(r.headers['webhook-id']));
    expect(new Set(ids).size).toBe(expected);
    for (const r of receiver.requests) expect(() => verifier.verify(r.body, hookHeaders(r))).not.toThrow();
    for (const p of people) {
      const mine = [...processed.values()]
        .filter((e) => e.data.influencerId === p.influencerId)
        .sort((a, b) => a.data.sequence - b.data.sequence);
      expect(mine.map((e) => `${e.data.from}>${e.data.to}`)).toEqual([
        'signed_up>purchased',
        'purchased>done',
        'done>followed_up',
      ]);
    }

    // The log shows every attempt: failures first, then the success, with status, duration and response.
    const done = await pollUntil(
      async () => {
        const page = await request(`${stack.apiUrl}/v1/webhook-endpoints/${endpointId}/deliveries?status=succeeded`, {
          token: c.apiKey,
        });
        return page.body.items?.length === expected && page.body.items;
      },
      { what: 'every delivery succeeded' },
    );
    const last = done[0].attempts.at(-1);
    expect(last).toMatchObject({ status: 200, response: 'ok', error: null });
    expect(typeof last.durationMs).toBe('number');
    expect(done.some((d: { attempts: { status: number | null }[] }) => d.attempts.some((a) => a.status === 500))).toBe(
      true,
    );
  });

  it('keeps each brand to its own endpoints, rotates secrets with an overlap, pings, retries and recovers', async () => {
    const a = await seedCampaign(stack);
    const b = await seedCampaign(stack);
    receiver.answer = () => ({ status: 200, body: 'ok' });
    const created = await request(`${stack.apiUrl}/v1/webhook-endpoints`, {
      method: 'POST',
      token: a.apiKey,
      json: { url: `${receiverUrl}/a` },
    });
    const id = created.body.id as string;
    const base = `${stack.apiUrl}/v1/webhook-endpoints/${id}`;
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/test'],
      ['POST', '/rotate-secret'],
      ['GET', '/deliveries'],
    ] as const) {
      const res = await request(`${base}${path}`, {
        method,
        token: b.apiKey,
        ...(method === 'PATCH' ? { json: {} } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await request(`${stack.apiUrl}/v1/webhook-endpoints`, { token: b.apiKey })).body.items).toEqual([]);

    const rotated = await request(`${base}/rotate-secret`, { method: 'POST', token: a.apiKey });
    expect(rotated.status).toBe(200);
    const ping = await request(`${base}/test`, { method: 'POST', token: a.apiKey });
    expect(ping.status).toBe(202);
    const got = await pollUntil(() => receiver.requests.find((r) => r.headers['webhook-id'] === ping.body.messageId));
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(created.body.secret as string).verify(got.body, hookHeaders(got))).toMatchObject({
      type: 'ping',
    });
    expect(new Webhook(rotated.body.secret as string).verify(got.body, hookHeaders(got))).toMatchObject({
      type: 'ping',
    });

    // A manual retry sends the same message (same webhook-id) again.
    const firstPage = await pollUntil(async () => {
      const page = await request(`${base}/deliveries?status=succeeded`, { token: a.apiKey });
      return page.body.items?.length === 1 && page.body;
    });
    // A cursor no page gave (made up, or another endpoint's delivery) is a 400 naming the field, not an empty page.
    const made = `${Date.parse(firstPage.items[0].createdAt)}_${firstPage.items[0].id.replace(id, 'f'.repeat(24))}`;
    for (const cursor of ['garbage', '1_x', '-5_x', made]) {
      const bad = await request(`${base}/deliveries?cursor=${encodeURIComponent(cursor)}`, { token: a.apiKey });
      expect(bad.status, cursor).toBe(400);
      expect(bad.body.error.details, cursor).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
    }
    const retry = await request(`${base}/deliveries/${ping.body.deliveryId}/retry`, {
      method: 'POST',
      token: a.apiKey,
    });
    expect(retry.status).toBe(202);
    await pollUntil(
      () => receiver.requests.filter((r) => r.headers['webhook-id'] === ping.body.messageId).length === 2,
    );

    // A redirect is never followed: the 307 is a failed attempt and its target sees nothing.
    const target = new HookReceiver();
    const targetUrl = await target.start();
    receiver.answer = () => ({ status: 307, headers: { location: `${targetUrl}/stolen` } });
    const ping2 = await request(`${base}/test`, { method: 'POST', token: a.apiKey });
    const redirected = await pollUntil(async () => {
      const page = await request(`${base}/deliveries`, { token: a.apiKey });
      const d = page.body.items?.find((x: { id: string }) => x.id === ping2.body.deliveryId);
      return d?.attempts.length > 0 && d;
    });
    expect(redirected.attempts[0].status).toBe(307);
    expect(target.requests).toHaveLength(0);
    await target.stop();

    // 410 disables the endpoint; re-enabled, recover re-sends what failed since a time.
    receiver.answer = () => ({ status: 410 });
    await pollUntil(async () => (await request(base, { token: a.apiKey })).body.enabled === false, {
      what: 'disabled by 410',
      timeoutMs: 30_000,
    });
    expect((await request(base, { token: a.apiKey })).body.disabledReason).toBe('gone');
    // Disabled, nothing can be sent: a 409 that says so, not a 202 for attempts the worker would close unsent.
    const seenWhileDisabled = receiver.requests.length;
    const since = new Date(Date.now() - 3600_000).toISOString();
    for (const path of ['/test', '/recover', `/deliveries/${ping.body.deliveryId}/retry`]) {
      const refused = await request(`${base}${path}`, { method: 'POST', token: a.apiKey, json: { since } });
      expect(refused.status, path).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'endpoint_disabled', details: { disabledReason: 'gone' } });
    }
    expect(receiver.requests).toHaveLength(seenWhileDisabled);
    receiver.answer = () => ({ status: 200, body: 'ok' });
    expect((await request(base, { method: 'PATCH', token: a.apiKey, json: { enabled: true } })).body.enabled).toBe(
      true,
    );
    const recovered = await request(`${base}/recover`, { method: 'POST', token: a.apiKey, json: { since } });
    expect(recovered.status).toBe(202);
    expect(recovered.body.requeued).toBeGreaterThanOrEqual(1);
    await pollUntil(async () => {
      const page = await request(`${base}/deliveries?status=succeeded`, { token: a.apiKey });
      return page.body.items?.some((d: { id: string }) => d.id === ping2.body.deliveryId);
    });
  });
});

describe('brand webhooks without WEBHOOK_ALLOW_PRIVATE', { timeout: 120_000 }, () => {
  let stack: Stack;
  const receivers = [new HookReceiver(), new HookReceiver()];
  beforeAll(async () => {
    stack = await createStack('webhooks-ssrf', {}, ['api']);
    await receivers[0]?.start('127.0.0.1');
    await receivers[1]?.start('::1');
  });
  afterAll(async () => {
    for (const r of receivers) await r.stop();
    await stack?.stop();
  });

  it('refuses loopback endpoints (and http) when saved; the local receivers see nothing', async () => {
    const c = await seedCampaign(stack);
    const [v4, v6] = receivers as [HookReceiver, HookReceiver];
    for (const url of [
      `https://127.0.0.1:${v4.port}/hooks`,
      `https://[::1]:${v6.port}/hooks`,
      `http://127.0.0.1:${v4.port}/hooks`,
      `https://user:pw@example.com/hooks`,
    ]) {
      const res = await request(`${stack.apiUrl}/v1/webhook-endpoints`, {
        method: 'POST',
        token: c.apiKey,
        json: { url },
      });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_webhook_url' });
      expect(res.body.error.details[0].path).toBe('body.url');
    }
    expect(v4.requests).toHaveLength(0);
    expect(v6.requests).toHaveLength(0);
  });
});
