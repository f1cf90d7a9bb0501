import express, { Router, type Express } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Repositories } from '@seedline/db';
import { baseMiddleware, errorHandler, HttpError, WindowLimiter } from '@seedline/http';
import { pingRedis, type Queues } from '@seedline/runtime';
import { pingMongo } from '@seedline/db';
import { brandAuth } from './auth/brand-auth.js';
import type { ApiConfig } from './config.js';
import { attributionRouter } from './routes/attribution.route.js';
import { brandsRouter } from './routes/brands.route.js';
import { campaignsRouter } from './routes/campaigns.route.js';
import { influencersRouter } from './routes/influencers.route.js';
import { summaryRouter } from './routes/summary.route.js';
import { dashboardRouter } from './dashboard/index.js';

export interface ApiDeps {
  config: ApiConfig;
  logger: Logger;
  repos: Repositories;
  /** a non-blocking client connection (health, reads) */
  redis: Redis;
  queues: Queues;
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(baseMiddleware(deps.logger));

  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', async (_req, res) => {
    const [redis, mongo] = await Promise.all([pingRedis(deps.redis), pingMongo(deps.repos.conn)]);
    res.status(redis && mongo ? 200 : 503).json({ redis, mongo });
  });

  app.use(brandsRouter(deps));

  const brand = Router();
  brand.use(brandAuth(deps.repos.brands, new WindowLimiter(deps.config.BRAND_RATE_LIMIT, 60_000)));
  brand.use(campaignsRouter(deps));
  brand.use(summaryRouter(deps));
  brand.use(influencersRouter(deps));
  brand.use(attributionRouter(deps));
  // Mounted at the root so route paths read in full; only /v1/campaigns... goes through brand auth.
  app.use((req, res, next) => (req.path.startsWith('/v1/campaigns') ? brand(req, res, next) : next()));

  app.use(dashboardRouter());
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'no such route')));
  app.use(errorHandler(deps.logger));
  return app;
}
