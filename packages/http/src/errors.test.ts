import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from './errors.js';

/** Over real HTTP: body-parser's and Express's own refusals answer with a code and a message that say why. */
describe('errorHandler: client errors named', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    const app = express();
    app.post('/json', express.json(), (_req, res) => void res.json({ ok: true }));
    app.get('/things/:id', (req, res) => void res.json({ id: req.params.id }));
    app.use(errorHandler(pino({ level: 'silent' })));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const post = (headers: Record<string, string>) =>
    fetch(`${url}/json`, { method: 'POST', headers, body: '{}' }).then(async (r) => ({
      status: r.status,
      error: ((await r.json()) as { error: { code: string; message: string } }).error,
    }));

  it('names an unsupported charset and content encoding', async () => {
    expect(await post({ 'content-type': 'application/json; charset=latin1' })).toEqual({
      status: 415,
      error: { code: 'unsupported_media_type', message: 'Content-Type charset "latin1" is not supported: send UTF-8' },
    });
    const zstd = await post({ 'content-type': 'application/json', 'content-encoding': 'zstd' });
    expect(zstd.status).toBe(415);
    expect(zstd.error.message).toMatch(/^Content-Encoding "zstd" is not supported/);
  });

  it('names a path that is not valid percent-encoding', async () => {
    const res = await fetch(`${url}/things/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'the path is not valid percent-encoding',
    );
  });
});
