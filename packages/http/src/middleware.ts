import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export interface BaseMiddlewareOptions {
  /** rewrites a request path before it is logged, e.g. to hide capability tokens carried in the path */
  logPath?: (path: string) => string;
}

const HELMET_OPTIONS = { contentSecurityPolicy: false } as const;

/** The caller's `X-Request-Id` when it is a sane one, else a fresh id. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
}

/** Successes at debug (a busy route would flood the log), client errors at info, server errors at error. */
export function requestLogLevel(statusCode: number, err?: unknown): 'error' | 'info' | 'debug' {
  return err || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';
}

/** What a request log line says about the request: id, method and path only (a query string can carry tokens). */
export const describeRequest = (
  req: { id: unknown; method?: string | undefined; url?: string | undefined },
  logPath: (path: string) => string,
) => ({
  id: req.id,
  method: req.method,
  path: logPath((req.url ?? '').split('?')[0] ?? ''),
});

export function baseMiddleware(logger: Logger, options: BaseMiddlewareOptions = {}): RequestHandler[] {
  const logPath = options.logPath ?? ((path: string) => path);
  return [
    helmet(HELMET_OPTIONS),
    pinoHttp({
      logger,
      // The id is echoed as a response header here, sparing every request one more middleware layer.
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = requestIdFor(req);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Our serializers read the raw objects directly: pino-std-serializers' wrapper would build a full
      // request object (headers, addresses) on every request only for us to pick three fields of it.
      wrapSerializers: false,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => describeRequest(req, logPath),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => requestLogLevel(res.statusCode, err),
    }),
  ];
}

/** What `baseMiddleware`'s helmet does to every response's headers (sets some, removes others), computed once (see HotRoute). */
export function securityHeaders(): { set: [string, string][]; remove: string[] } {
  const set = new Map<string, string>();
  const remove = new Set<string>();
  const recorder = {
    setHeader: (name: string, value: string) => void set.set(name, String(value)),
    removeHeader: (name: string) => void (set.delete(name) || remove.add(name)),
    getHeader: (name: string) => set.get(name),
  };
  helmet(HELMET_OPTIONS)({} as never, recorder as never, () => undefined);
  return { set: [...set], remove: [...remove] };
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
