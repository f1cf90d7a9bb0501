import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express, { type RequestHandler } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@seedline/testkit';
import { errorHandler, HttpError } from './errors.js';
import { HotRoute } from './hot-route.js';
import { baseMiddleware } from './middleware.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
const logger = pino({ level: 'debug' }, sink);
const logPath = (path: string) => path.replace(/^\/(l|s|m)\/.*/s, '/$1/:token');

let base = '';
let server: Server;
const unavailable = new HttpError(503, 'unavailable', 'not now', undefined, { 'Retry-After': '5' });
beforeAll(async () => {
  // /l/ is served ahead of Express with HotRoute, /m/ by Express ahead of baseMiddleware with HotRoute's
  // middleware, /s/ by Express with baseMiddleware: they must not differ.
  const hot = new HotRoute(logger, { logPath });
  const app = express();
  app.disable('etag'); // as ingest has it
  const route = [
    ((req, _res, next) => void (req.params.token === 'down' ? next(unavailable) : next())) as RequestHandler,
    ((req, res) => void res.status(req.params.token === 'gone' ? 404 : 302).end()) as RequestHandler,
  ];
  app.get('/m/:token', hot.middleware(), ...route);
  app.use(baseMiddleware(logger, { logPath }));
  app.get('/s/:token', ...route);
  app.use(errorHandler(logger));
  server = createServer((req, res) => {
    if (!req.url?.startsWith('/l/')) return void app(req, res);
    const started = Date.now();
    const id = hot.requestId(req);
    const token = req.url.slice(3);
    if (token === 'down') return hot.sendError(req, res, id, unavailable, started);
    const status = token === 'gone' ? 404 : 302;
    res.writeHead(status, [...hot.headers, 'X-Request-Id', id, 'Content-Length', '0']);
    res.end();
    hot.completed(req, id, status, started);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const headersOf = (res: Response) =>
  Object.fromEntries([...res.headers].filter(([k]) => !['date', 'x-request-id', 'content-length'].includes(k)));

describe('HotRoute', () => {
  it('answers with the same headers, request ids, errors and log lines as baseMiddleware', async () => {
    for (const [path, token] of ['l', 'm'].flatMap((p) => ['ok', 'gone', 'down'].map((t) => [p, t]))) {
      const opts = { redirect: 'manual', headers: { 'X-Request-Id': `req-${token}` } } as const;
      const light = await fetch(`${base}/${path}/${token}`, opts);
      const full = await fetch(`${base}/s/${token}`, opts);
      expect(light.status).toBe(full.status);
      expect(headersOf(light)).toEqual(headersOf(full));
      expect(headersOf(light)).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      expect([light.headers.get('x-request-id'), full.headers.get('x-request-id')]).toEqual([
        `req-${token}`,
        `req-${token}`,
      ]);
      expect(await light.text()).toBe(await full.text());
    }
    for (const path of ['l', 'm']) {
      expect((await fetch(`${base}/${path}/down`)).headers.get('retry-after')).toBe('5');
      const generated = await fetch(`${base}/${path}/ok`, { redirect: 'manual' });
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }

    // Log lines are written when each response closes.
    await pollUntil(() => lines.filter((l) => /^req-/.test(String((l.req as { id?: string })?.id))).length >= 12, {
      what: 'the log lines',
    });
    const shape = (l: Record<string, unknown>) => ({
      level: l.level,
      msg: l.msg,
      req: l.req,
      res: l.res,
      keys: Object.keys(l).sort(),
    });
    const find = (path: string, id: string) =>
      lines.find(
        (l) => (l.req as { id?: string; path?: string })?.id === id && (l.req as { path?: string }).path === path,
      );
    for (const [path, token] of ['l', 'm'].flatMap((p) => ['ok', 'gone', 'down'].map((t) => [p, t]))) {
      const light = find(`/${path}/:token`, `req-${token}`);
      const full = find('/s/:token', `req-${token}`);
      expect(light && full).toBeTruthy();
      const { req: lightReq, ...lightRest } = shape(light as Record<string, unknown>);
      const { req: fullReq, ...fullRest } = shape(full as Record<string, unknown>);
      expect(lightRest).toEqual(fullRest);
      expect(lightReq).toEqual({ ...(fullReq as object), path: `/${path}/:token` });
    }
    expect(JSON.stringify(lines)).not.toMatch(/remoteAddress|127\.0\.0\.1/);
  });
});
