import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { HttpError } from './errors.js';
import {
  describeRequest,
  requestIdFor,
  requestLogLevel,
  securityHeaders,
  type BaseMiddlewareOptions,
} from './middleware.js';

/**
 * What `baseMiddleware` gives every response — helmet's headers, the request id, the request log line — for
 * a route served ahead of Express on plain node objects (the tracked link). The headers are one flat list
 * computed once, to hand to a single `writeHead` (no `setHeader` per header, each validated and stored), and
 * the log line is written only when its level is enabled (successes log at debug: usually nothing to do).
 */
export class HotRoute {
  /** helmet's headers as `[name, value, name, value, …]`, the form `writeHead` takes without copying */
  readonly headers: readonly string[];
  private readonly removals: readonly string[];
  private readonly logPath: (path: string) => string;

  constructor(
    private readonly logger: Logger,
    options: BaseMiddlewareOptions = {},
  ) {
    // Nothing sets X-Powered-By on the bare objects, so helmet's removals are only for `middleware()`.
    const { set, remove } = securityHeaders();
    this.headers = set.flat();
    this.removals = remove;
    this.logPath = options.logPath ?? ((path: string) => path);
  }

  requestId(req: IncomingMessage): string {
    return requestIdFor(req);
  }

  /** The line pino-http would write for this response, once it is sent. */
  completed(req: IncomingMessage, id: string, statusCode: number, started: number): void {
    const level = requestLogLevel(statusCode);
    if (!this.logger.isLevelEnabled(level)) return;
    const line = {
      req: describeRequest({ id, method: req.method, url: req.url }, this.logPath),
      res: { statusCode },
      responseTime: Date.now() - started,
    };
    if (statusCode >= 500)
      this.logger.error({ ...line, err: new Error(`failed with status code ${statusCode}`) }, 'request errored');
    else this.logger[level](line, 'request completed');
  }

  /**
   * The same for an Express route mounted ahead of `baseMiddleware` (a busy POST): helmet's headers in one
   * loop, the request id, and the log line once the answer is sent, with no chain of a dozen middlewares and
   * no child logger per request. Errors still go to the app's one error handler.
   */
  middleware(): RequestHandler {
    const { headers, removals } = this;
    return (req, res, next) => {
      const started = Date.now();
      const id = this.requestId(req);
      for (const name of removals) res.removeHeader(name);
      for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i] as string, headers[i + 1] as string);
      res.setHeader('X-Request-Id', id);
      res.once('finish', () => this.completed(req, id, res.statusCode, started));
      next();
    };
  }

  /** An `HttpError` as the error handler answers it: `{error: {code, message, details?}}`, with its headers. */
  sendError(req: IncomingMessage, res: ServerResponse, id: string, err: HttpError, started: number): void {
    const body = JSON.stringify({
      error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
    });
    const headers = [
      ...this.headers,
      'X-Request-Id',
      id,
      'Content-Type',
      'application/json; charset=utf-8',
      'Content-Length',
      String(Buffer.byteLength(body)),
    ];
    for (const [name, value] of Object.entries(err.headers ?? {})) headers.push(name, value);
    res.writeHead(err.status, headers);
    res.end(body);
    this.completed(req, id, err.status, started);
  }
}
