import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, request, TEST_SECRETS, type Stack } from '@seedline/testkit';

// The stack trusts X-Forwarded-For from loopback (TRUST_PROXY's default), so each request can stand for
// another client address.
const from = (ip: string) => ({ 'X-Forwarded-For': ip });

describe('auth failure limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await createStack('authlimits', { AUTH_FAILURE_LIMIT: '5', ADMIN_AUTH_FAILURE_LIMIT: '3' }, ['api']);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const createBrand = (token: string, ip: string) =>
    request(`${stack.apiUrl}/v1/brands`, { method: 'POST', token, json: { name: 'Limits' }, headers: from(ip) });
  const listCampaigns = (token: string, ip: string) =>
    request(`${stack.apiUrl}/v1/campaigns`, { token, headers: from(ip) });

  it('counts wrong API keys per IPv6 /64: rotating addresses inside it buys no extra guesses', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 7; i++) statuses.push((await listCampaigns(`sk_wrong_${i}`, `2001:db8:a:1::${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // Another /64 and an IPv4 client have their own allowance.
    expect((await listCampaigns('sk_wrong', '2001:db8:a:2::1')).status).toBe(401);
    expect((await listCampaigns('sk_wrong', '198.51.100.20')).status).toBe(401);
  });

  it('rate-limits admin-token guesses per client, and a right token inside the refused window is refused too', async () => {
    const guesses: number[] = [];
    for (let i = 1; i <= 3; i++) guesses.push((await createBrand(`guess-${i}`, `2001:db8:b:1::${i}`)).status);
    expect(guesses).toEqual([401, 401, 401]);
    const refused = await createBrand(TEST_SECRETS.ADMIN_TOKEN, '2001:db8:b:1:ffff::9');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Bull Board shares the count.
    const board = await fetch(`${stack.apiUrl}/admin/queues`, {
      headers: { ...from('2001:db8:b:1::77'), Authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` },
    });
    expect(board.status).toBe(429);
    // Another client is not held back by that one's guesses.
    expect((await createBrand(TEST_SECRETS.ADMIN_TOKEN, '2001:db8:b:2::1')).status).toBe(201);
  });

  it('does not count a request without credentials (a browser asking for the Basic prompt)', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${stack.apiUrl}/admin/queues`, { headers: from('203.0.113.50') });
      expect(res.status).toBe(401);
    }
    expect((await createBrand(TEST_SECRETS.ADMIN_TOKEN, '203.0.113.50')).status).toBe(201);
  });
});
