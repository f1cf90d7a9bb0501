import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '@seedline/http';
import { createLogger } from '@seedline/runtime';
import { uploadGate } from './upload-gate.js';

/** Over real HTTP: a handler that holds its turn until the test lets it go. */
describe('uploadGate', () => {
  let server: Server;
  let url = '';
  const started: string[] = [];
  const holds = new Map<string, () => void>();
  const gate = uploadGate({ running: 1, waiting: 2 });

  beforeAll(async () => {
    const app = express();
    app.post('/up/:name', gate, (req, res) => {
      const name = req.params.name as string;
      started.push(name);
      holds.set(name, () => void res.json({ name }));
    });
    app.use(errorHandler(createLogger('gate-test', 'silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((r) => setImmediate(r));
  };

  it('runs one, queues two, answers 503 with Retry-After past that, and hands the turn on', async () => {
    const first = fetch(`${url}/up/a`, { method: 'POST', body: 'x' });
    await until(() => started.includes('a'));
    const second = fetch(`${url}/up/b`, { method: 'POST', body: 'x' });
    await until(() => gate.waiting() === 1);
    // c gives up while waiting: its place is freed and it never gets a turn.
    const gaveUp = new AbortController();
    const third = fetch(`${url}/up/c`, { method: 'POST', body: 'x', signal: gaveUp.signal }).catch(() => null);
    await until(() => gate.waiting() === 2);
    const refused = await fetch(`${url}/up/d`, { method: 'POST', body: 'x' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('uploads_busy');
    gaveUp.abort();
    await third;
    await until(() => gate.waiting() === 1);

    holds.get('a')?.();
    expect(((await (await first).json()) as { name: string }).name).toBe('a');
    await until(() => started.includes('b'));
    expect(gate.waiting()).toBe(0);
    holds.get('b')?.();
    expect((await second).status).toBe(200);
    // Both turns ended: the next upload runs at once.
    const next = fetch(`${url}/up/e`, { method: 'POST', body: 'x' });
    await until(() => started.includes('e'));
    holds.get('e')?.();
    expect((await next).status).toBe(200);
    expect(started).toEqual(['a', 'b', 'e']);
  });
});
