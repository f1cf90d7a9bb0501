import SwaggerParser from '@apidevtools/swagger-parser';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '@seedline/domain';
import { registeredRoutes } from '@seedline/http';
import { createLogger } from '@seedline/runtime';
import { createStack, freePort, pollUntil, request, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';
// The built app, as the process runs it (the dashboard's client files exist only in dist).
import { composeApi } from '../dist/compose.js';
import { loadApiConfig } from '../dist/config.js';
import { openApiPath } from '../dist/ops/openapi.js';
import { BULL_BOARD_PATH } from '../dist/ops/bull-board.js';

const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;

describe('ops: OpenAPI, Bull Board, metrics, readiness and hostile input, over a real api process', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack('apiops', { BRAND_RATE_LIMIT: '40' }, ['api']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves an OpenAPI 3 document that validates and lists every route Express registered', async () => {
    const res = await request(`${stack.apiUrl}/openapi.json`);
    expect(res.status).toBe(200);
    const spec = res.body;
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(spec))).resolves.toBeTruthy();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.components.securitySchemes)).toEqual(
      expect.arrayContaining(['brandKey', 'adminBearer', 'adminBasic']),
    );

    // The same app the process runs, composed in this process over the same real services, to read its routes.
    const config = loadApiConfig({ ...stack.env, LOG_LEVEL: 'silent' });
    const composed = await composeApi(config, createLogger('api-test', 'silent'));
    try {
      const routes = registeredRoutes(composed.app);
      expect(routes.length).toBeGreaterThan(10);
      const missing = routes
        .filter((r) => !r.path.startsWith(`${BULL_BOARD_PATH}/`)) // Bull Board's own pages and API, documented as one entry
        .map((r) => ({ method: r.method, path: openApiPath(r.path.replace(/\/$/, '') || '/') }))
        .filter((r) => !spec.paths[r.path]?.[r.method]);
      expect(missing).toEqual([]);
      // ...and nothing is documented on the api server that Express does not serve.
      const served = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path.replace(/\/$/, '') || '/')}`));
      for (const [path, item] of Object.entries<Record<string, unknown>>(spec.paths)) {
        if (item.servers) continue; // the ingest app's routes
        for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
          if (item[method])
            expect(served.has(`${method} ${path}`) || path === BULL_BOARD_PATH, `${method} ${path}`).toBe(true);
        }
      }
    } finally {
      for (const step of composed.shutdownSteps) await step.run();
      composed.deps.live.feeds.close();
    }

    const docs = await fetch(`${stack.apiUrl}/docs`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('/v1/campaigns/{id}/influencers');
    expect(html).not.toMatch(/<script/i);
  });

  it('serves Bull Board with every queue to the admin token (Basic or Bearer), and 401 without', async () => {
    const noAuth = await fetch(`${stack.apiUrl}${BULL_BOARD_PATH}`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(
      (await fetch(`${stack.apiUrl}${BULL_BOARD_PATH}`, { headers: { Authorization: basic('wrong') } })).status,
    ).toBe(401);

    const page = await fetch(`${stack.apiUrl}${BULL_BOARD_PATH}`, {
      headers: { Authorization: basic(TEST_SECRETS.ADMIN_TOKEN) },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    // Asset URLs are relative to <base href>, which must be the mount path or the page loads blank.
    const base = /<base href="([^"]+)"/.exec(html)?.[1];
    expect(base).toBe(`${BULL_BOARD_PATH}/`);
    const assets = [...html.matchAll(/(?:src|href)="([^":]+\.(?:js|css))"/g)].map(
      (m) => new URL(m[1]!, `http://x${base}`).pathname,
    );
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      expect(
        (await fetch(`${stack.apiUrl}${asset}`, { headers: { Authorization: basic(TEST_SECRETS.ADMIN_TOKEN) } }))
          .status,
        asset,
      ).toBe(200);
      expect((await fetch(`${stack.apiUrl}${asset}`)).status, asset).toBe(401);
    }

    // A job waiting under this stack's prefix (no worker runs here) shows on the board: the prefix is right.
    const queue = new Queue('reminders', { connection: { url: stack.env.REDIS_URL }, prefix: stack.prefix });
    try {
      await queue.add('probe', { reminderId: 'probe' }, { jobId: 'ops-probe' });
    } finally {
      await queue.close();
    }
    const api = await request(`${stack.apiUrl}${BULL_BOARD_PATH}/api/queues`, { token: TEST_SECRETS.ADMIN_TOKEN });
    expect(api.status).toBe(200);
    const queues = api.body.queues as { name: string; counts: Record<string, number> }[];
    // Every queue of the job catalogue is on the board, and nothing else.
    expect(queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    expect(queues.find((q) => q.name === 'reminders')?.counts.waiting).toBe(1);
    const metrics = await (await fetch(`${stack.apiUrl}/metrics`)).text();
    expect(metrics).toContain('seedline_queue_jobs{queue="reminders",state="waiting"} 1');
  });

  it('exposes Prometheus metrics: route latency, queue depths, process metrics', async () => {
    await fetch(`${stack.apiUrl}/healthz`);
    const res = await fetch(`${stack.apiUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/seedline_api_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
    expect(text).toMatch(/seedline_queue_jobs\{queue="clicks",state="waiting"\} \d+/);
    expect(text).toContain('seedline_job_duration_seconds');
    expect(text).toContain('seedline_events_processed_total');
    expect(text).toContain('seedline_reminders_sent_total');
    expect(text).toContain('seedline_api_process_cpu_seconds_total');
  });

  it('rejects hostile input with clear 4xx errors and no stack traces, and rate-limits per key', async () => {
    const c = await seedCampaign(stack);
    const base = `${stack.apiUrl}/v1/campaigns`;

    const badPatch = await request(`${base}/${c.campaignId}`, {
      method: 'PATCH',
      token: c.apiKey,
      json: { productUrl: 'ftp://x', reminders: { purchase: { max: -1 } } },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining([
        'body.productUrl',
        'body.reminders.purchase.max',
        'body.reminders.purchase.firstAfterSeconds',
      ]),
    );
    const badQuery = await request(`${base}/${c.campaignId}/influencers?limit=501&status=lost`, { token: c.apiKey });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'query.limit',
      'query.status',
    ]);
    const badCursor = await request(`${base}/${c.campaignId}/influencers?cursor=!!!`, { token: c.apiKey });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);

    const brokenJson = await request(base, {
      method: 'POST',
      token: c.apiKey,
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(brokenJson.status).toBe(400);
    expect(brokenJson.body.error.code).toBe('invalid_json');
    expect(JSON.stringify(brokenJson.body)).not.toMatch(/at \w+ \(|node_modules/);

    const wrongType = await request(base, {
      method: 'POST',
      token: c.apiKey,
      headers: { 'Content-Type': 'text/plain' },
      body: 'name=x',
    });
    expect(wrongType.status).toBe(415);
    const huge = await request(base, { method: 'POST', token: c.apiKey, json: { name: 'x'.repeat(300_000) } }); // campaign bodies take up to 256 kB (templates)
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');

    const updated = await request(`${base}/${c.campaignId}`, {
      method: 'PATCH',
      token: c.apiKey,
      json: { state: 'paused', requirements: { mentions: ['@Acme'] }, amazonAttributionUrl: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      state: 'paused',
      requirements: { hashtags: [], mentions: ['acme'] },
      amazonAttributionUrl: null,
    });
    expect((await request(`${base}/${c.campaignId}`, { token: c.apiKey })).body).toMatchObject({ state: 'paused' });
    expect((await request(`${base}/${c.campaignId}`, { method: 'PATCH', token: c.apiKey, json: {} })).status).toBe(400);

    // BRAND_RATE_LIMIT=40 per minute for this process: the key runs out, another brand's key does not.
    let limited: Awaited<ReturnType<typeof request>> | undefined;
    for (let i = 0; i < 45 && !limited; i++) {
      const r = await request(`${base}/${c.campaignId}`, { token: c.apiKey });
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await seedCampaign(stack);
    expect((await request(`${base}/${other.campaignId}`, { token: other.apiKey })).status).toBe(200);

    const logs = stack.apps.api!.logs();
    expect(logs).not.toContain(c.apiKey);
    expect(logs).not.toContain(TEST_SECRETS.ADMIN_TOKEN);
    expect(logs).not.toMatch(/"remoteAddress"|127\.0\.0\.1:\d+"/);
  });

  it('is ready when Redis and MongoDB answer, and answers 503 on /readyz when Redis is unreachable', async () => {
    const ready = await request(`${stack.apiUrl}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: { redis: true, mongo: true } });

    const closedPort = await freePort();
    const noRedis = await createStack('apinoredis', { REDIS_URL: `redis://127.0.0.1:${closedPort}` }, ['api']);
    try {
      const res = await pollUntil(
        async () => {
          const r = await request(`${noRedis.apiUrl}/readyz`);
          return r.status === 503 ? r : undefined;
        },
        { what: 'readyz 503' },
      );
      expect(res.body).toEqual({ redis: false, mongo: true });
      expect((await request(`${noRedis.apiUrl}/healthz`)).status).toBe(200);
    } finally {
      await noRedis.stop();
    }
  });
});
