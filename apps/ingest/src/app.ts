import express, { type Express, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { baseMiddleware, errorHandler, HttpError, rateLimit, WindowLimiter } from '@seedline/http';
import { pingRedis } from '@seedline/runtime';
import type { CampaignCache } from '@seedline/db';
import type { IngestConfig } from './config.js';
import type { EventSink } from './enqueue/event-sink.js';
import { clicksRouter } from './routes/clicks.route.js';
import { formRouter } from './routes/form.route.js';
import { linksRouter } from './routes/links.route.js';
import { signupsRouter } from './routes/signups.route.js';
import { submissionsRouter } from './routes/submissions.route.js';

export interface IngestMetrics {
  clicks: { human: number; bot: number };
  lost: number;
}

export interface IngestDeps {
  config: IngestConfig;
  logger: Logger;
  redis: Redis;
  sink: EventSink;
  campaigns: CampaignCache;
  metrics: IngestMetrics;
  publicPostLimit: RequestHandler;
  mongoReady: () => Promise<boolean>;
}

export function createApp(input: Omit<IngestDeps, 'metrics' | 'publicPostLimit'>): Express {
  const deps: IngestDeps = {
    ...input,
    metrics: { clicks: { human: 0, bot: 0 }, lost: 0 },
    publicPostLimit: rateLimit(new WindowLimiter(input.config.PUBLIC_POST_LIMIT, 60_000), (req) => req.ip ?? 'unknown'),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(baseMiddleware(deps.logger));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', async (_req, res) => {
    const [redis, mongo] = await Promise.all([pingRedis(deps.redis), deps.mongoReady()]);
    // Ingest keeps serving when Redis is down (the spool takes events), but is not "ready" for a balancer.
    res.status(redis && mongo ? 200 : 503).json({ redis, mongo, spooling: deps.sink.spooling });
  });
  app.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(
      [
        '# TYPE seedline_ingest_clicks_total counter',
        `seedline_ingest_clicks_total{kind="human"} ${deps.metrics.clicks.human}`,
        `seedline_ingest_clicks_total{kind="bot"} ${deps.metrics.clicks.bot}`,
        '# TYPE seedline_ingest_spooled_total counter',
        `seedline_ingest_spooled_total ${deps.sink.spooled}`,
        '# TYPE seedline_ingest_replayed_total counter',
        `seedline_ingest_replayed_total ${deps.sink.replayed}`,
        '# TYPE seedline_ingest_clicks_lost_total counter',
        `seedline_ingest_clicks_lost_total ${deps.metrics.lost}`,
        '',
      ].join('\n'),
    );
  });
  app.use(linksRouter(deps, new WindowLimiter(deps.config.LINK_RECORD_LIMIT, 60_000)));
  app.use(formRouter(deps));
  app.use(signupsRouter(deps));
  app.use(submissionsRouter(deps));
  app.use(clicksRouter(deps));
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'no such route')));
  app.use(errorHandler(deps.logger));
  return app;
}
