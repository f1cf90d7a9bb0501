import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookReceiver } from '@seedline/testkit';
import { guardedPost, refusedDestination, retryAfterMs, type Resolver } from './guarded-post.js';

/** Answers every name with the given addresses: the system's resolver is never asked. */
const stub =
  (...addresses: string[]): Resolver =>
  () =>
    Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
const strict = (resolver: Resolver) => ({ allowPrivate: false, resolver });
const dev = (resolver: Resolver) => ({ allowPrivate: true, resolver });

describe('guardedPost and the address policy (only loopback traffic)', () => {
  const v4 = new HookReceiver();
  const v6 = new HookReceiver();
  let v4Url: string;
  let v6Url: string;
  beforeAll(async () => {
    v4Url = await v4.start('127.0.0.1');
    v6Url = await v6.start('::1');
  });
  afterAll(async () => {
    await v4.stop();
    await v6.stop();
  });

  it('refuses loopback endpoints when saved and when posting, and the receivers see nothing', async () => {
    const before = v4.requests.length + v6.requests.length;
    const https4 = `https://127.0.0.1:${v4.port}/hook`;
    const https6 = `https://[::1]:${v6.port}/hook`;
    expect(await refusedDestination(https4, strict(stub()))).toMatch(/127\.0\.0\.1.*not a global/);
    expect(await refusedDestination(https6, strict(stub()))).toMatch(/::1.*not a global/);
    expect(await refusedDestination(`${v4Url}/hook`, strict(stub()))).toBe('must be an https URL');
    const named = `https://hooks.example.test:${v4.port}/hook`;
    expect(await refusedDestination(named, strict(stub('127.0.0.1')))).toMatch(/127\.0\.0\.1/);
    for (const url of [https4, https6, `${v4Url}/hook`, `${v6Url}/hook`]) {
      const out = await guardedPost(url, {}, '{}', { policy: strict(stub()), timeoutMs: 2000 });
      expect(out).toMatchObject({ status: null, refused: true });
    }
    expect(v4.requests.length + v6.requests.length).toBe(before);
  });

  it('checks the address actually dialled: a name that resolved to a global address and now to loopback is refused', async () => {
    let answer = '93.184.215.14';
    const rebinding: Resolver = () => Promise.resolve([{ address: answer, family: 4 }]);
    const url = `https://rebind.example.test:${v4.port}/hook`;
    expect(await refusedDestination(url, strict(rebinding))).toBeNull();
    answer = '127.0.0.1';
    const before = v4.requests.length;
    const out = await guardedPost(url, {}, '{}', { policy: strict(rebinding), timeoutMs: 2000 });
    expect(out).toMatchObject({ status: null, refused: true });
    expect(out.error).toMatch(/refused: rebind\.example\.test resolves to 127\.0\.0\.1/);
    expect(v4.requests.length).toBe(before);
  });

  it.each([
    '10.0.0.7',
    '172.16.5.4',
    '192.168.0.10',
    '169.254.169.254',
    'fc00::5',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
  ])('refuses a name resolving to %s before any connection', async (address) => {
    const url = 'https://internal.example.test/hook';
    expect(await refusedDestination(url, strict(stub(address)))).toMatch(/not a global address/);
    // Also when one answer of several is private: a client may dial any of them.
    expect(await refusedDestination(url, strict(stub('93.184.215.14', address)))).toMatch(/not a global address/);
    const out = await guardedPost(url, {}, '{}', { policy: strict(stub(address)), timeoutMs: 2000 });
    expect(out).toMatchObject({ status: null, refused: true });
  });

  it('with WEBHOOK_ALLOW_PRIVATE posts over http to loopback (v4 and v6) and keeps the first 1 KiB of the answer', async () => {
    v4.answer = () => ({ status: 202, body: 'x'.repeat(5000) });
    const out = await guardedPost(`${v4Url}/a`, { 'webhook-id': 'msg_1' }, '{"a":1}', {
      policy: dev(stub('127.0.0.1')),
      timeoutMs: 5000,
    });
    expect(out).toMatchObject({ status: 202, refused: false, error: null });
    expect(out.response).toHaveLength(1024);
    expect(v4.requests.at(-1)).toMatchObject({ path: '/a', body: '{"a":1}' });
    expect(v4.requests.at(-1)?.headers['webhook-id']).toBe('msg_1');
    v6.answer = () => ({ status: 200, body: 'ok' });
    const named = await guardedPost(`http://hooks.example.test:${v6.port}/b`, {}, '{}', {
      policy: dev(stub('::1')),
      timeoutMs: 5000,
    });
    expect(named).toMatchObject({ status: 200, response: 'ok' });
  });

  it('never follows a redirect: the 307 is the answer and its target sees nothing', async () => {
    const target = new HookReceiver();
    const targetUrl = await target.start();
    v4.answer = () => ({ status: 307, headers: { location: `${targetUrl}/stolen` } });
    const out = await guardedPost(`${v4Url}/r`, {}, '{"secret":1}', { policy: dev(stub()), timeoutMs: 5000 });
    expect(out.status).toBe(307);
    expect(target.requests).toHaveLength(0);
    await target.stop();
  });

  it('gives up on a receiver that never answers after the timeout, and reads Retry-After', async () => {
    v4.answer = () => 'hang';
    const out = await guardedPost(`${v4Url}/h`, {}, '{}', { policy: dev(stub()), timeoutMs: 300 });
    expect(out).toMatchObject({ status: null, refused: false });
    expect(out.error).toMatch(/no answer within 300 ms/);
    v4.answer = () => ({ status: 429, headers: { 'retry-after': '7' } });
    expect((await guardedPost(`${v4Url}/h`, {}, '{}', { policy: dev(stub()), timeoutMs: 5000 })).retryAfterMs).toBe(
      7000,
    );
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(58_000);
    expect(retryAfterMs('soon')).toBeNull();
  });
});
