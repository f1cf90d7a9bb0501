import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HookReceiver, pollUntil } from '@seedline/testkit';
import { EndpointAgents } from './endpoint-agents.js';
import { guardedPost, type OutboundPolicy, type Resolver } from './guarded-post.js';

/** Answers every name with `address` and counts the questions: the system's resolver is never asked. */
function countingResolver(address: string): Resolver & { calls: number } {
  const r = Object.assign(
    () => {
      r.calls++;
      return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
    },
    { calls: 0 },
  );
  return r;
}

describe('kept connections per endpoint (only loopback traffic)', () => {
  const receiver = new HookReceiver();
  let port: number;
  const pools: EndpointAgents[] = [];
  const pool = (policy: OutboundPolicy, opts: ConstructorParameters<typeof EndpointAgents>[1] = {}) => {
    const p = new EndpointAgents(policy, opts);
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    await receiver.start('127.0.0.1');
    port = receiver.port;
  });
  afterEach(async () => {
    for (const p of pools.splice(0)) p.close();
    await pollUntil(() => receiver.open.size === 0, { what: 'every connection closed' });
    receiver.answer = () => ({ status: 200 });
  });
  afterAll(() => receiver.stop());

  it('sends two deliveries to one endpoint over one connection, and resolves again for a new one once it idled out', async () => {
    const resolver = countingResolver('127.0.0.1');
    const policy = { allowPrivate: true, resolver };
    const agents = pool(policy, { idleMs: 300 });
    const url = `http://hooks.example.test:${port}/one`;
    const post = (body: string) =>
      guardedPost(url, { 'webhook-id': body }, body, {
        policy,
        timeoutMs: 5000,
        agent: agents.for('ep_1', new URL(url)),
      });
    const before = receiver.connections;
    expect(await post('{"n":1}')).toMatchObject({ status: 200, error: null });
    expect(await post('{"n":2}')).toMatchObject({ status: 200, error: null });
    expect(receiver.requests.slice(-2).map((r) => r.body)).toEqual(['{"n":1}', '{"n":2}']);
    expect(receiver.connections - before).toBe(1);
    // The address check ran once, for the one connection dialled.
    expect(resolver.calls).toBe(1);

    // Idle past `idleMs`, the connection is closed; the next delivery dials anew and checks its address again.
    await pollUntil(() => receiver.open.size === 0, { what: 'the idle connection closed' });
    expect(await post('{"n":3}')).toMatchObject({ status: 200 });
    expect(receiver.connections - before).toBe(2);
    expect(resolver.calls).toBe(2);
  });

  it('keeps separate connections per endpoint, even on one origin', async () => {
    const policy = { allowPrivate: true, resolver: countingResolver('127.0.0.1') };
    const agents = pool(policy);
    const before = receiver.connections;
    for (const ep of ['ep_a', 'ep_b', 'ep_a', 'ep_b']) {
      const url = `http://127.0.0.1:${port}/${ep}`;
      const out = await guardedPost(url, {}, '{}', { policy, timeoutMs: 5000, agent: agents.for(ep, new URL(url)) });
      expect(out.status).toBe(200);
    }
    expect(receiver.connections - before).toBe(2);
  });

  it('refuses a name resolving to loopback before any connection, kept connections or not', async () => {
    const resolver = countingResolver('127.0.0.1');
    const policy = { allowPrivate: false, resolver };
    const agents = pool(policy);
    const before = { connections: receiver.connections, requests: receiver.requests.length };
    const url = `https://rebind.example.test:${port}/hook`;
    for (let i = 0; i < 2; i++) {
      const out = await guardedPost(url, {}, '{}', {
        policy,
        timeoutMs: 2000,
        agent: agents.for('ep_x', new URL(url)),
      });
      expect(out).toMatchObject({ status: null, refused: true });
      expect(out.error).toMatch(/refused: rebind\.example\.test resolves to 127\.0\.0\.1/);
    }
    // Asked each time: a refused answer leaves no connection to reuse.
    expect(resolver.calls).toBe(2);
    expect({ connections: receiver.connections, requests: receiver.requests.length }).toEqual(before);
  });

  it('does not keep a connection whose answer was cut at 1 KiB, nor follow a redirect through a kept one', async () => {
    const policy = { allowPrivate: true, resolver: countingResolver('127.0.0.1') };
    const agents = pool(policy);
    const url = `http://127.0.0.1:${port}/long`;
    const agent = agents.for('ep_long', new URL(url));
    const before = receiver.connections;
    receiver.answer = () => ({ status: 200, body: 'x'.repeat(64 * 1024) });
    const long = await guardedPost(url, {}, '{}', { policy, timeoutMs: 5000, agent });
    expect(long.response).toHaveLength(1024);
    receiver.answer = () => ({ status: 307, headers: { location: `http://127.0.0.1:${port}/stolen` } });
    const moved = await guardedPost(url, {}, '{}', { policy, timeoutMs: 5000, agent });
    expect(moved.status).toBe(307);
    expect(receiver.requests.some((r) => r.path === '/stolen')).toBe(false);
    expect(receiver.connections - before).toBe(2);
  });

  it('bounds the agents: the least recently used endpoint loses its idle connection', async () => {
    const policy = { allowPrivate: true, resolver: countingResolver('127.0.0.1') };
    const agents = pool(policy, { maxEndpoints: 2 });
    for (const ep of ['ep_1', 'ep_2', 'ep_3']) {
      const url = `http://127.0.0.1:${port}/${ep}`;
      await guardedPost(url, {}, '{}', { policy, timeoutMs: 5000, agent: agents.for(ep, new URL(url)) });
    }
    expect(agents.size).toBe(2);
    await pollUntil(() => receiver.open.size === 2, { what: "ep_1's idle connection closed" });
  });

  it('sends again on a new connection when a kept one was closed under it, before any answer', async () => {
    // Answers the first request of each connection and drops the connection at its second: what a receiver
    // that closed an idle connection as we reused it looks like.
    const seen = new Map<Socket, number>();
    let connections = 0;
    const flaky = createServer((req, res) => {
      const n = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, n);
      req.resume();
      if (n > 1) req.socket.destroy();
      else req.on('end', () => res.writeHead(200).end('ok'));
    }).on('connection', () => connections++);
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/flaky`;
    const policy = { allowPrivate: true, resolver: countingResolver('127.0.0.1') };
    const agent = pool(policy).for('ep_flaky', new URL(url));
    try {
      expect(await guardedPost(url, {}, '{}', { policy, timeoutMs: 5000, agent })).toMatchObject({ status: 200 });
      expect(await guardedPost(url, {}, '{}', { policy, timeoutMs: 5000, agent })).toMatchObject({
        status: 200,
        response: 'ok',
      });
      expect(connections).toBe(2);
    } finally {
      flaky.closeAllConnections();
      await new Promise((resolve) => flaky.close(resolve));
    }
  });
});
