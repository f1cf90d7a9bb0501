import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError, type z } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new HttpError(404, 'not_found', `${what} not found`);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'missing or invalid credentials');
/** A `cursor` query parameter that no page of this API gave: a 400 naming the field, like any bad field. */
export const badCursor = () =>
  new HttpError(400, 'invalid_request', 'query.cursor: not a cursor from a previous page', [
    { path: 'query.cursor', message: 'not a cursor from a previous page' },
  ]);

export interface FieldIssue {
  path: string;
  message: string;
}

export function zodDetails(err: ZodError, root?: string): FieldIssue[] {
  return err.issues.map((i) => ({
    path: [root, ...i.path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(root)',
    message: i.message,
  }));
}

/** Parses or throws a 400 naming every failing field, e.g. `body.events.3.token`. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, root: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = zodDetails(result.error, root);
  const first = details[0];
  throw new HttpError(400, 'invalid_request', first ? `${first.path}: ${first.message}` : 'invalid request', details);
}

/** Rejects a body that is not JSON before the parser sees it: 415, not a confusing 400. */
export function requireJson(...extra: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.is(['application/json', ...extra])) {
      next(
        new HttpError(
          415,
          'unsupported_media_type',
          `Content-Type must be ${['application/json', ...extra].join(' or ')}`,
        ),
      );
      return;
    }
    next();
  };
}

/** What body-parser and friends throw: a 4xx `status`, and a `type` naming the failure. */
function isClientError(err: unknown): err is { status: number; type?: unknown } {
  return (
    typeof err === 'object' &&
    err !== null &&
    'status' in err &&
    typeof err.status === 'number' &&
    err.status >= 400 &&
    err.status < 500
  );
}

/** body-parser's and Express's own 4xx, each named: a client is told what to change. */
function clientErrorBody(err: { status: number; type?: unknown; charset?: unknown; encoding?: unknown }) {
  switch (err.type) {
    case 'entity.too.large':
      return { code: 'payload_too_large', message: 'request body is too large' };
    case 'entity.parse.failed':
      return { code: 'invalid_json', message: 'body is not valid JSON' };
    case 'charset.unsupported':
      return {
        code: 'unsupported_media_type',
        message: `Content-Type charset ${JSON.stringify(String(err.charset).slice(0, 40))} is not supported: send UTF-8`,
      };
    case 'encoding.unsupported':
      return {
        code: 'unsupported_media_type',
        message: `Content-Encoding ${JSON.stringify(String(err.encoding).slice(0, 40))} is not supported: send identity, gzip, deflate or br`,
      };
  }
  // Express's "Failed to decode param": a path segment that is not valid percent-encoding.
  if (err.status === 400 && err instanceof URIError)
    return { code: 'bad_request', message: 'the path is not valid percent-encoding' };
  return { code: 'bad_request', message: 'bad request' };
}

/** The one error handler: known errors keep their status; anything else is a 500 without a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let status = 500;
    let body: { code: string; message: string; details?: unknown } = { code: 'internal', message: 'internal error' };
    if (err instanceof HttpError) {
      status = err.status;
      body = { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
      if (err.headers) res.set(err.headers);
    } else if (err instanceof ZodError) {
      status = 400;
      body = { code: 'invalid_request', message: 'invalid request', details: zodDetails(err) };
    } else if (isClientError(err)) {
      status = err.status;
      body = clientErrorBody(err);
    } else {
      (req as { log?: Logger }).log?.error({ err }, 'unhandled error');
      if (!(req as { log?: Logger }).log) logger.error({ err }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  };
}
