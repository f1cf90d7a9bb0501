import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { HttpError } from './errors.js';

export interface BaseMiddlewareOptions {
  /** rewrites a request path before it is logged, e.g. to hide capability tokens carried in the path */
  logPath?: (path: string) => string;
}

export function baseMiddleware(logger: Logger, options: BaseMiddlewareOptions = {}): RequestHandler[] {
  const logPath = options.logPath ?? ((path: string) => path);
  return [
    helmet({ contentSecurityPolicy: false }),
    pinoHttp({
      logger,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
      },
      // Only the path: query strings can carry tokens.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: logPath(req.url.split('?')[0] ?? '') }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    }) as unknown as RequestHandler,
    (req, res, next) => {
      res.setHeader('X-Request-Id', String(req.id));
      next();
    },
  ];
}

export function jsonBody(limit = '64kb'): RequestHandler {
  return express.json({ limit, strict: true });
}

/** Constant-time comparison of two secrets of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m?.[1] ?? null;
}

export function requireBearer(expected: string): RequestHandler {
  return (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token || !safeEqual(token, expected)) {
      next(new HttpError(401, 'unauthorized', 'missing or invalid bearer token'));
      return;
    }
    next();
  };
}
