import type { RequestListener } from 'node:http';
import express from 'express';
import {
  baseMiddleware,
  clientKey,
  errorHandler,
  HotRoute,
  HttpError,
  KeyWindowLimiter,
  ProxyTrust,
  rateLimit,
  registeredRoutes,
  requireBearer,
  type RegisteredRoute,
} from '@seedline/http';
import { LinkKeyring } from '@seedline/domain';
import { linkSecretsOf } from '@seedline/runtime';
import { IpHasher } from './clicks/ip-hasher.js';
import { TokenVerifier } from './clicks/token-verifier.js';
import type { IngestDeps } from './deps.js';
import { clicksRouter } from './routes/clicks.route.js';
import { formRouter } from './routes/form.route.js';
import { trackedLink } from './routes/links.route.js';
import { probesRouter } from './routes/probes.route.js';
import { signupsRouter } from './routes/signups.route.js';
import { submissionsRouter } from './routes/submissions.route.js';
import { unsubscribeRouter } from './routes/unsubscribe.route.js';

export type { IngestDeps, IngestMetrics } from './deps.js';

/** Link and form tokens are capabilities: a log line shows which route was hit, never the token. */
const logPath = (path: string) => path.replace(/^\/(l|s|u)\/.*/s, '/$1/:token');

/**
 * The hot path: a tracked link as links are made (GET or HEAD) is served ahead of Express, and Express's route
 * of the same path takes anything else under /l/. Declared once, for the listener and for the route list.
 */
const HOT_LINK = { method: 'get', path: '/l/:token', url: /^\/l\/([\w-]+)(?:\?|$)/ } as const;

export interface IngestRoutes {
  /** the routes the API's route catalogue documents for the ingest */
  contract: RegisteredRoute[];
  /** liveness, readiness and metrics (the catalogue documents the API's, of the same paths) */
  probes: RegisteredRoute[];
}

/** The request listener, and the routes it serves, hot path included. */
export type IngestListener = RequestListener & { routes: () => IngestRoutes };

/** The request listener: tracked links on the hot path, everything else through Express. */
export function createApp(
  input: Omit<IngestDeps, 'metrics' | 'publicPostLimit' | 'ingestAuth' | 'ipHasher' | 'tokens' | 'links'>,
): IngestListener {
  const links = new LinkKeyring(linkSecretsOf(input.config));
  const deps: IngestDeps = {
    ...input,
    metrics: { clicks: { human: 0, bot: 0 }, lost: 0 },
    links,
    // Salted with the newest secret: a rotation only restarts the per-address counts.
    ipHasher: new IpHasher(links.current.secret),
    tokens: new TokenVerifier(links),
    publicPostLimit: rateLimit(new KeyWindowLimiter(input.config.PUBLIC_POST_LIMIT, 60_000), (req) =>
      clientKey(req.ip),
    ),
    ingestAuth: requireBearer(
      input.config.INGEST_TOKEN,
      new KeyWindowLimiter(input.config.INGEST_AUTH_FAILURE_LIMIT, 60_000),
    ),
  };
  // Whose X-Forwarded-For is believed (TRUST_PROXY): the hot path and Express read it alike.
  const proxies = new ProxyTrust(deps.config.TRUST_PROXY);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', proxies.expressSetting);
  // HotRoute gives the redirect the base middleware's headers, request ids and log lines.
  const link = trackedLink(
    deps,
    new KeyWindowLimiter(deps.config.LINK_RECORD_LIMIT, 60_000),
    new HotRoute(deps.logger, { logPath }),
    proxies,
  );
  app.get(HOT_LINK.path, (req, res) => link(req, res, req.params.token));
  // Sign-ups come in bursts: their route gets the base middleware's effects without its per-request chain.
  app.use(signupsRouter(deps, new HotRoute(deps.logger, { logPath }).middleware()));
  app.use(baseMiddleware(deps.logger, { logPath }));
  const probes = probesRouter(deps);
  app.use(probes);
  app.use(formRouter(deps));
  app.use(submissionsRouter(deps));
  app.use(clicksRouter(deps));
  app.use(unsubscribeRouter(deps));
  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'no such route')));
  app.use(errorHandler(deps.logger));
  const listener: RequestListener = (req, res) => {
    const m = req.method === 'GET' || req.method === 'HEAD' ? HOT_LINK.url.exec(req.url ?? '') : null;
    if (m?.[1]) link(req, res, m[1]);
    else app(req, res);
  };
  const routes = (): IngestRoutes => {
    const isProbe = new Set(registeredRoutes(probes).map((r) => `${r.method} ${r.path}`));
    const served = [{ method: HOT_LINK.method, path: HOT_LINK.path }, ...registeredRoutes(app)];
    const unique = [...new Map(served.map((r) => [`${r.method} ${r.path}`, r])).entries()];
    return {
      contract: unique.filter(([key]) => !isProbe.has(key)).map(([, r]) => r),
      probes: unique.filter(([key]) => isProbe.has(key)).map(([, r]) => r),
    };
  };
  return Object.assign(listener, { routes });
}
