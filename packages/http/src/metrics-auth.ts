import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';
import { bearerToken, safeEqual } from './middleware.js';

/**
 * `/metrics` behind `Authorization: Bearer $METRICS_TOKEN` (Prometheus' `authorization` setting): the apps
 * answer on public domains, and their metrics are not for everyone. Unset (development only: production
 * refuses to start without it), it stays open.
 */
export function metricsAuth(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (token === undefined) return next();
    const given = bearerToken(req.headers.authorization);
    if (given && safeEqual(given, token)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    next(new HttpError(401, 'unauthorized', 'metrics need Authorization: Bearer $METRICS_TOKEN'));
  };
}
