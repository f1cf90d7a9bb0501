import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, pollUntil, request, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';
import { rng } from './support/fuzz-parts.js';
import { fuzzRequest, type FuzzRequest } from './support/fuzz.js';
import { RAW_REQUESTS } from './support/hostile-values.js';
import { click, JobCounter, tokenOf } from './support/ingest-helpers.js';

const FUZZ_REQUESTS = 5000;
const CONCURRENCY = 16;
const STACK_TRACE = /\bat [^\n]+\.(js|ts|mjs):\d+|node_modules|\bError: /;

/** Sends a request a client library would refuse, straight to the socket; answers the status, or 0 if closed. */
function rawRequest(port: number, payload: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (/\r\n\r\n/.test(text)) socket.destroy();
    });
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.write(Buffer.from(payload, 'latin1'));
  });
}

describe('hostile input', () => {
  let stack: Stack;
  let jobs: JobCounter;
  let real: { purchase: string; review: string; submit: string; campaignId: string; ingestToken: string };
  beforeAll(async () => {
    // No worker: every job ingest enqueues stays countable. Debug logs: every request is logged, 302s included.
    stack = await createStack(
      'hostile',
      { LOG_LEVEL: 'debug', PUBLIC_POST_LIMIT: '1000000', INGEST_AUTH_FAILURE_LIMIT: '1000000' },
      ['api', 'ingest'],
    );
    jobs = new JobCounter(stack);
    const c = await seedCampaign(stack);
    const { links } = await c.signup('real.one');
    real = {
      purchase: tokenOf(links.purchase),
      review: tokenOf(links.review),
      submit: tokenOf(links.submit),
      campaignId: c.campaignId,
      ingestToken: TEST_SECRETS.INGEST_TOKEN,
    };
  });
  afterAll(async () => {
    await jobs?.close();
    await stack?.stop();
  });

  it(`answers ${FUZZ_REQUESTS} random malformed requests without a 5xx, and enqueues nothing`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const r = rng(seed);
    const before = await jobs.counts();
    const requests: FuzzRequest[] = Array.from({ length: FUZZ_REQUESTS - RAW_REQUESTS.length }, () =>
      fuzzRequest(r, real),
    );
    const outcomes: { req: FuzzRequest; status: number; text: string }[] = [];
    const networkErrors: { req: FuzzRequest; error: string }[] = [];
    let next = 0;
    const lane = async () => {
      while (next < requests.length) {
        const req = requests[next++] as FuzzRequest;
        try {
          const res = await fetch(`${stack.ingestUrl}${req.path}`, {
            method: req.method,
            headers: req.headers,
            body: req.body,
            redirect: 'manual',
            signal: AbortSignal.timeout(15_000),
          });
          outcomes.push({ req, status: res.status, text: await res.text() });
        } catch (err) {
          networkErrors.push({ req, error: String((err as Error).cause ?? err) });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const port = Number(new URL(stack.ingestUrl).port);
    await Promise.all(
      RAW_REQUESTS.map(async (payload) => {
        const res = await rawRequest(port, payload);
        outcomes.push({
          req: { kind: 'raw', method: 'RAW', path: payload.slice(0, 60), headers: {} },
          status: res.status,
          text: res.text,
        });
      }),
    );

    const summary = (xs: { req: FuzzRequest; status?: number }[]) =>
      xs.slice(0, 5).map((o) => `${o.status ?? ''} ${o.req.kind} ${o.req.method} ${o.req.path.slice(0, 80)}`);
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(summary(serverErrors), `seed ${seed}`).toEqual([]);
    // Nothing in here is valid, so nothing is accepted or redirected (OPTIONS only lists the allowed methods).
    const accepted = outcomes.filter((o) => o.status >= 200 && o.status < 400 && o.req.method !== 'OPTIONS');
    expect(summary(accepted), `seed ${seed}`).toEqual([]);
    const leaks = outcomes.filter((o) => STACK_TRACE.test(o.text));
    expect(summary(leaks), `seed ${seed}`).toEqual([]);
    // JSON errors keep their shape: {error: {code, message}}.
    const malformed = outcomes.filter(
      (o) => o.text.startsWith('{') && !/^\{"error":\{"code":"[a-z_]+","message":/.test(o.text),
    );
    expect(summary(malformed), `seed ${seed}`).toEqual([]);
    // A client may see the connection closed only for a body the server refused before reading it all.
    expect(
      networkErrors
        .filter((e) => (e.req.body?.length ?? 0) < 64 * 1024)
        .map((e) => `${e.error} ${e.req.kind} ${e.req.path.slice(0, 60)}`),
    ).toEqual([]);
    expect(outcomes.length + networkErrors.length).toBe(FUZZ_REQUESTS);

    const statuses = new Set(outcomes.map((o) => o.status));
    for (const s of [400, 401, 404, 413, 415]) expect(statuses, `seed ${seed}: some ${s}`).toContain(s);
    expect(await jobs.counts()).toEqual(before);
    // Ingest is still healthy and still redirects.
    expect((await click(`${stack.ingestUrl}/l/${real.purchase}`)).status).toBe(302);
  });

  it('refuses oversized, non-JSON and operator-laden bodies with clear 4xx JSON and no stack trace', async () => {
    const url = `${stack.ingestUrl}/v1/submissions`;
    const post = (body: string, contentType = 'application/json') =>
      request(url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': contentType, 'X-Forwarded-For': '203.0.113.99' },
      });

    const tooBig = await post(
      JSON.stringify({
        token: real.submit,
        postUrl: 'https://www.instagram.com/p/Cbig/',
        caption: 'x'.repeat(64 * 1024),
      }),
    );
    expect(tooBig).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'request body is too large' } },
    });
    const justUnder = await post(
      JSON.stringify({ token: real.submit, postUrl: 'nope', pad: 'x'.repeat(64 * 1024 - 100) }),
    );
    expect(justUnder.status).toBe(400);
    const signupTooBig = await request(`${stack.ingestUrl}/v1/signups`, {
      method: 'POST',
      token: TEST_SECRETS.INGEST_TOKEN,
      json: { campaignId: real.campaignId, instagramHandle: 'x'.repeat(70 * 1024) },
    });
    expect(signupTooBig.status).toBe(413);

    expect(await post('token=x', 'application/x-www-form-urlencoded')).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_media_type' } },
    });
    expect(await post('{"token":', 'application/json')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_json' } },
    });

    const operators = await post(
      JSON.stringify({ token: { $gt: '' }, postUrl: { $ne: null }, caption: { $where: '1' } }),
    );
    expect(operators.status).toBe(400);
    expect(operators.body.error.code).toBe('invalid_request');
    expect(operators.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.token',
      'body.postUrl',
      'body.caption',
    ]);

    const unknownKey = await post(
      JSON.stringify({ token: real.submit, postUrl: 'https://www.instagram.com/p/Cabc123/', $set: { status: 'done' } }),
    );
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.details).toEqual([expect.objectContaining({ path: 'body' })]);
    expect(unknownKey.body.error.message).toMatch(/\$set/);

    for (const res of [tooBig, justUnder, signupTooBig, operators, unknownKey])
      expect(JSON.stringify(res.body)).not.toMatch(STACK_TRACE);
  });

  it('sends helmet headers and request ids, and keeps client addresses, secrets and tokens out of its log', async () => {
    // A fresh ingest process, so its log holds only this test's requests (the fuzz sends real tokens in
    // deliberately broken paths, which are no route's and are logged as they came).
    await stack.apps.ingest?.stop();
    await stack.start('ingest');
    const clientV4 = '203.0.113.99';
    const clientV6 = '2001:db8::beef:cafe';
    const redirect = await click(`${stack.ingestUrl}/l/${real.purchase}`, { ip: clientV4 });
    const page = await click(`${stack.ingestUrl}/s/${real.submit}`, { ip: clientV6 });
    const missing = await click(`${stack.ingestUrl}/l/${real.purchase.slice(0, -1)}`, {
      ip: clientV4,
      headers: { 'X-Request-Id': 'hostile-req-0001' },
    });
    const invalid = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: { token: real.submit, postUrl: 'nope' },
      headers: { 'X-Forwarded-For': clientV6 },
    });
    const unauthorised = await request(`${stack.ingestUrl}/v1/signups`, {
      method: 'POST',
      token: 'wrong',
      json: {},
      headers: { 'X-Forwarded-For': clientV4 },
    });
    expect([redirect.status, page.status, missing.status, invalid.status, unauthorised.status]).toEqual([
      302, 200, 404, 400, 401,
    ]);

    for (const headers of [redirect.headers, page.headers, missing.headers, invalid.headers, unauthorised.headers]) {
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(headers.get('x-powered-by')).toBeNull();
      expect(headers.get('x-request-id')).toMatch(/^[\w-]{1,64}$/);
    }
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    expect(missing.headers.get('x-request-id')).toBe('hostile-req-0001');
    expect(missing.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(invalid.headers.get('x-request-id')).not.toBe(unauthorised.headers.get('x-request-id'));

    const ingest = stack.apps.ingest;
    if (!ingest) throw new Error('ingest is not running');
    const log = await pollUntil(
      () => {
        const text = ingest.logs();
        return text.includes('hostile-req-0001') && text.includes(String(unauthorised.headers.get('x-request-id')))
          ? text
          : undefined;
      },
      { what: 'the requests in the ingest log' },
    );
    // Logged, with their request ids, but with the token in the path replaced.
    expect(log).toMatch(/"path":"\/l\/:token"/);
    expect(log).toMatch(/"path":"\/s\/:token"/);
    for (const forbidden of [
      clientV4,
      clientV6,
      TEST_SECRETS.INGEST_TOKEN,
      TEST_SECRETS.LINK_SECRET,
      real.purchase,
      real.submit,
      real.purchase.slice(0, -1),
    ]) {
      expect(log.includes(forbidden), `the log holds ${forbidden.slice(0, 12)}…`).toBe(false);
    }
    expect(log).not.toMatch(/"remoteAddress"|"x-forwarded-for"|"authorization"/i);
  });
});
