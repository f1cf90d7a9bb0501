import type { RequestListener } from 'node:http';
import express from 'express';
import {
  baseMiddleware,
  errorHandler,
  HotRoute,
  HttpError,
  KeyWindowLimiter,
  ProxyTrust,
  rateLimit,
} from '@seedline/http';
import { pingRedis } from '@seedline/runtime';
import { clientKey } from './clicks/client-key.js';
import { IpHasher } from './clicks/ip-hasher.js';
import { TokenVerifier } from './clicks/token-verifier.js';
import type { IngestDeps } from './deps.js';
import { clicksRouter } from './routes/clicks.route.js';
import { formRouter } from './routes/form.route.js';
import { trackedLink } from './routes/links.route.js';
import { signupsRouter } from './routes/signups.route.js';
import { submissionsRouter } from './routes/submissions.route.js';
import { unsubscribeRouter } from './routes/unsubscribe.route.js';

export type { IngestDeps, IngestMetrics } from './deps.js';

/** Link and form tokens are capabilities: a log line shows which route was hit, never the token. */
const logPath = (path: string) => path.replace(/^\/(l|s|u)\/.*/s, '/$1/:token');

/** Whose X-Forwarded-For is believed: a proxy on this host or the private network (a load balancer). */
const PROXIES = new ProxyTrust(['loopback', 'linklocal', 'uniquelocal']);
/** A tracked link as links are made: served ahead of Express. Anything else under /l/ goes through Express's route. */
const LINK_PATH = /^\/l\/([\w-]+)(?:\?|$)/;

/** The request listener: tracked links on the hot path, everything else through Express. */
export function createApp(
  input: Omit<IngestDeps, 'metrics' | 'publicPostLimit' | 'ipHasher' | 'tokens'>,
): RequestListener {
  const deps: IngestDeps = {
    ...input,
    metrics: { clicks: { human: 0, bot: 0 }, lost: 0 },
    ipHasher: new IpHasher(input.config.LINK_SECRET),
    tokens: new TokenVerifier(input.config.LINK_SECRET),
    publicPostLimit: rateLimit(new KeyWindowLimiter(input.config.PUBLIC_POST_LIMIT, 60_000), (req) =>
      clientKey(req.ip),
    ),
  };
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', PROXIES.expressSetting);
  // HotRoute gives the redirect the base middleware's headers, request ids and log lines.
  const link = trackedLink(
    deps,
    new KeyWindowLimiter(deps.config.LINK_RECORD_LIMIT, 60_000),
    new HotRoute(deps.logger, { logPath }),
    PROXIES,
  );
  app.get('/l/:token', (req, res) => link(req, res, req.params.token));
  app.use(baseMiddleware(deps.logger, { logPath }));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', async (_req, res) => {
    const [redis, mongo] = await Promise.all([pingRedis(deps.redis), deps.mongoReady()]);
    // Ingest keeps serving when Redis is down (the spool takes events), but is not "ready" for a balancer.
    res.status(redis && mongo ? 200 : 503).json({ redis, mongo, spooling: deps.sink.spooling });
  });
  app.get('/metrics', (_req, res) => {
    res
      .type('text/plain; version=0.0.4')
      .send(
        [
          '# TYPE seedline_ingest_clicks_total counter',
          `seedline_ingest_clicks_total{kind="human"} ${deps.metrics.clicks.human}`,
          `seedline_ingest_clicks_total{kind="bot"} ${deps.metrics.clicks.bot}`,
          '# HELP seedline_ingest_spooled_events_total events written to the local spool while Redis was unavailable',
          '# TYPE seedline_ingest_spooled_events_total counter',
          `seedline_ingest_spooled_events_total ${deps.sink.spooled}`,
          '# HELP seedline_ingest_replayed_events_total spooled events moved to Redis',
          '# TYPE seedline_ingest_replayed_events_total counter',
          `seedline_ingest_replayed_events_total ${deps.sink.replayed}`,
          '# HELP seedline_ingest_last_replay_events events moved by the last completed spool replay',
          '# TYPE seedline_ingest_last_replay_events gauge',
          `seedline_ingest_last_replay_events ${deps.sink.lastReplay.events}`,
          '# HELP seedline_ingest_last_replay_seconds how long the last completed spool replay took',
          '# TYPE seedline_ingest_last_replay_seconds gauge',
          `seedline_ingest_last_replay_seconds ${deps.sink.lastReplay.ms / 1000}`,
          '# TYPE seedline_ingest_spool_backlog gauge',
          `seedline_ingest_spool_backlog ${deps.sink.spooling ? 1 : 0}`,
          '# TYPE seedline_ingest_clicks_lost_total counter',
          `seedline_ingest_clicks_lost_total ${deps.metrics.lost}`,
          '',
        ].join('\n'),
      );
  });
  app.use(formRouter(deps));
  app.use(signupsRouter(deps));
  app.use(submissionsRouter(deps));
  app.use(clicksRouter(deps));
  app.use(unsubscribeRouter(deps));
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'no such route')));
  app.use(errorHandler(deps.logger));
  return (req, res) => {
    const m = req.method === 'GET' || req.method === 'HEAD' ? LINK_PATH.exec(req.url ?? '') : null;
    if (m?.[1]) link(req, res, m[1]);
    else app(req, res);
  };
}
