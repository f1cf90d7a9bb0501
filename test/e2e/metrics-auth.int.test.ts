import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, type Stack } from '@seedline/testkit';

const METRICS_TOKEN = 'test-metrics-token-0123456789-abcdefgh';

/** /metrics of the api and the ingest need `Authorization: Bearer $METRICS_TOKEN` once it is set. */
describe('metrics behind METRICS_TOKEN', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack('metrics-auth', { METRICS_TOKEN }, ['api', 'ingest']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it.each(['api', 'ingest'] as const)('%s: 401 without the token or with another, 200 with it', async (app) => {
    const url = `${app === 'api' ? stack.apiUrl : stack.ingestUrl}/metrics`;
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${btoa(`x:${METRICS_TOKEN}`)}`]) {
      const res = await fetch(url, { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    const ok = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^# (HELP|TYPE) seedline_/m);
    // Liveness stays open for the orchestrator.
    expect((await fetch(url.replace('/metrics', '/healthz'))).status).toBe(200);
  });
});
