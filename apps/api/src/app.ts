import express, { Router, type Express } from 'express';
import { pingMongo } from '@seedline/db';
import { baseMiddleware, errorHandler, HttpError, KeyWindowLimiter, WindowLimiter } from '@seedline/http';
import { pingRedis } from '@seedline/runtime';
import { brandAuth } from './auth/brand-auth.js';
import { adminAuth } from './auth/admin-auth.js';
import type { ApiDeps } from './deps.js';
import { dashboardRouter } from './dashboard/dashboard.route.js';
import { bullBoardRouter } from './ops/bull-board.js';
import { docsRouter } from './ops/docs.route.js';
import { attributionRouter } from './routes/attribution.route.js';
import { brandRouter } from './routes/brand.route.js';
import { brandsRouter } from './routes/brands.route.js';
import { statementsRouter } from './routes/statements.route.js';
import { returnsRouter } from './routes/returns.route.js';
import { ordersRouter } from './routes/orders.route.js';
import { campaignsRouter } from './routes/campaigns.route.js';
import { influencersRouter } from './routes/influencers.route.js';
import { instagramRouter } from './routes/instagram.route.js';
import { instagramWebhookRouter } from './routes/instagram-webhook.route.js';
import { reimbursementsRouter } from './routes/reimbursements.route.js';
import { remindersRouter } from './routes/reminders.route.js';
import { summaryRouter } from './routes/summary.route.js';
import { webhookEndpointsRouter } from './routes/webhook-endpoints.route.js';
import { streamRouter } from './stream/stream.route.js';
import { uploadGate } from './uploads/upload-gate.js';

export type { ApiDeps } from './deps.js';

/** Path prefixes served to brands, behind their API key (`/v1/brand` is not `/v1/brands`: Express matches segments). */
const BRAND_PREFIXES = [
  '/v1/campaigns',
  '/v1/brand',
  '/v1/statements',
  '/v1/returns',
  '/v1/orders',
  '/v1/instagram',
  '/v1/webhook-endpoints',
];

/** Report and tag uploads: read, parsed and stored one at a time per process (see uploadGate). */
const UPLOAD_PATHS = [
  '/v1/campaigns/:id/attribution',
  '/v1/campaigns/:id/attribution-tags',
  '/v1/returns',
  '/v1/orders',
];

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(deps.metrics.middleware());
  app.use(baseMiddleware(deps.logger));

  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', async (_req, res) => {
    const [redis, mongo] = await Promise.all([pingRedis(deps.redis), pingMongo(deps.repos.conn)]);
    res.status(redis && mongo ? 200 : 503).json({ redis, mongo });
  });
  app.use(deps.metrics.router(deps.config.METRICS_TOKEN));
  app.use(docsRouter({ ingestUrl: deps.config.PUBLIC_INGEST_URL }));
  // One count of wrong admin tokens per client, shared by every admin route.
  const adminFailures = new KeyWindowLimiter(deps.config.ADMIN_AUTH_FAILURE_LIMIT, 60_000);
  app.use(bullBoardRouter(deps.queues, adminAuth(deps.config.ADMIN_TOKEN, adminFailures, { challenge: true })));

  app.use(brandsRouter(deps, adminAuth(deps.config.ADMIN_TOKEN, adminFailures)));
  // Meta's webhook: signed by the app secret, not by a brand's key.
  app.use(instagramWebhookRouter(deps));

  const brand = Router();
  // Only these prefixes go through brand auth; routers are mounted at the root so route paths read in full.
  brand.use(
    BRAND_PREFIXES,
    brandAuth(deps.repos.brands, {
      perKey: new WindowLimiter(deps.config.BRAND_RATE_LIMIT, 60_000),
      failuresPerClient: new WindowLimiter(deps.config.AUTH_FAILURE_LIMIT, 60_000),
    }),
  );
  // Uploads take turns (their parsed rows are large); the gate stands before their body parsers.
  brand.post(UPLOAD_PATHS, uploadGate({ running: 1, waiting: 16 }));
  brand.use(instagramRouter(deps));
  brand.use(campaignsRouter(deps));
  brand.use(summaryRouter(deps));
  brand.use(remindersRouter(deps));
  brand.use(influencersRouter(deps));
  brand.use(reimbursementsRouter(deps));
  brand.use(attributionRouter(deps));
  brand.use(streamRouter(deps));
  brand.use(brandRouter(deps));
  brand.use(webhookEndpointsRouter(deps));
  brand.use(statementsRouter(deps));
  brand.use(returnsRouter(deps));
  brand.use(ordersRouter(deps));
  app.use(brand);

  app.use(dashboardRouter());
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'no such route')));
  app.use(errorHandler(deps.logger));
  return app;
}
