import { Router } from 'express';
import { metricsAuth } from '@seedline/http';
import { pingRedis } from '@seedline/runtime';
import type { IngestDeps } from '../deps.js';

/**
 * Liveness, readiness and metrics: for the orchestrator and Prometheus, not the ingest's contract (a router of
 * their own, so the list of served routes can tell them from the routes the catalogue documents).
 */
export function probesRouter(deps: IngestDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => void res.json({ ok: true }));
  router.get('/readyz', async (_req, res) => {
    const [redis, mongo] = await Promise.all([pingRedis(deps.redis), deps.mongoReady()]);
    // Ingest keeps serving when Redis is down (the spool takes events), but is not "ready" for a balancer.
    res.status(redis && mongo ? 200 : 503).json({ redis, mongo, spooling: deps.sink.spooling });
  });
  router.get('/metrics', metricsAuth(deps.config.METRICS_TOKEN), (_req, res) => {
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
  return router;
}
