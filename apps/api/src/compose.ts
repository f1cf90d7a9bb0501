import type { Express } from 'express';
import type { Logger } from 'pino';
import { connectMongoWithRetry, createRepositories, ensureIndexes } from '@seedline/db';
import { QUEUE_NAMES, sealWebhookSecret } from '@seedline/domain';
import {
  announceReimbursementMoves,
  BlockedHandles,
  closeQueues,
  createQueues,
  ParkedJobs,
  GraphClient,
  instagramEnabled,
  readPayoutsPause,
  redisConnection,
  touchLiveSummaries,
  WebhookEvents,
  type ShutdownStep,
} from '@seedline/runtime';
import { createApp, type ApiDeps } from './app.js';
import type { ApiConfig } from './config.js';
import { ApiMetrics } from './ops/metrics.js';
import { QueueEventsReader } from './ops/queue-events.js';
import { LiveFeeds } from './stream/live-feeds.js';
import { LiveHub } from './stream/live-hub.js';
import { sharedSummaries } from './summary/campaign-summary.js';

/**
 * The queues whose event streams /metrics follows. Not the brand webhooks': each status change becomes a fan-out job
 * and an attempts job per endpoint, a handful of stream entries each, all read and parsed here for counters nobody
 * needs per job. Their depths are still reported, and every delivery's attempts are in its log.
 */
const FOLLOWED_QUEUES = QUEUE_NAMES.filter((q) => q !== 'webhook-events' && q !== 'webhook-deliveries');

export interface ComposedApi {
  app: Express;
  deps: ApiDeps;
  /** in order, after the HTTP server stopped taking requests */
  shutdownSteps: ShutdownStep[];
}

/** Connections, readers and the Express app, wired once at boot. */
export async function composeApi(config: ApiConfig, logger: Logger): Promise<ComposedApi> {
  const redis = redisConnection(config.REDIS_URL, 'client');
  // Blocking reads (XREAD BLOCK) get connections of their own, each shared by everything that reads that way.
  const liveReader = redisConnection(config.REDIS_URL, 'subscriber', { connectionName: 'seedline-api-live' });
  const eventsReader = redisConnection(config.REDIS_URL, 'subscriber', { connectionName: 'seedline-api-queue-events' });
  for (const c of [redis, liveReader, eventsReader])
    c.on('error', (err) => logger.debug({ err: err.message }, 'redis error'));
  const queues = createQueues(redis, config.QUEUE_PREFIX, (err) => logger.debug({ err: err.message }, 'queue error'));
  const mongo = await connectMongoWithRetry(config.MONGO_URL, {
    onRetry: (attempt, err) => logger.warn({ attempt, err: err.message }, 'database not reachable yet; retrying'),
  });
  const repos = createRepositories(mongo, {
    // The brand's moves (approve, reject, paid, retry) and the uploads' (orders, returns) become webhooks.
    // The summary's reimbursement counts moved too: the campaign's live stream says so.
    onReimbursementMove: announceReimbursementMoves({
      webhooks: () => webhooks,
      handleOf: async (id) => (await repos.reimbursements.findById(id))?.instagramHandle ?? null,
      touchSummaries: (ids) => touchLiveSummaries(redis, config.QUEUE_PREFIX, ids),
      logger,
    }),
  });
  const webhooks = new WebhookEvents((brandId) => repos.webhookEndpoints.countFor(brandId), queues);
  await ensureIndexes(repos);
  // Endpoints saved before their secrets were sealed are sealed at start (the worker also does at first use).
  const sealed = await repos.webhookEndpoints.sealPlain((plain) => sealWebhookSecret(plain, config.DATA_KEY));
  if (sealed > 0) logger.info({ sealed }, 'webhook endpoint secrets sealed under DATA_KEY');

  const summaries = sharedSummaries(repos);
  const hub = new LiveHub(liveReader, redis, config.QUEUE_PREFIX, logger);
  const feeds = new LiveFeeds(hub, summaries, logger, {
    heartbeatMs: config.STREAM_HEARTBEAT_MS,
    maxPerBrand: config.STREAM_MAX_PER_BRAND,
  });
  const metrics = new ApiMetrics(
    queues,
    () => feeds.openSessions,
    new ParkedJobs(redis, config.QUEUE_PREFIX),
    async () => (await readPayoutsPause(redis, config.QUEUE_PREFIX)) !== null,
  );
  const queueEvents = new QueueEventsReader(
    eventsReader,
    config.QUEUE_PREFIX,
    FOLLOWED_QUEUES,
    (job) => metrics.jobFinished(job),
    logger,
  );
  hub.start();
  queueEvents.start();

  const blocked = new BlockedHandles(redis, config.QUEUE_PREFIX, repos.blocked);
  const instagram = instagramEnabled(config)
    ? {
        graph: new GraphClient({
          baseUrl: config.INSTAGRAM_GRAPH_URL,
          appId: config.INSTAGRAM_APP_ID,
          appSecret: config.INSTAGRAM_APP_SECRET,
        }),
        dataKey: config.DATA_KEY,
      }
    : null;
  const deps: ApiDeps = {
    config,
    logger,
    repos,
    redis,
    queues,
    live: { hub, feeds },
    metrics,
    summaries,
    blocked,
    instagram,
    webhooks,
  };
  return {
    app: createApp(deps),
    deps,
    shutdownSteps: [
      { name: 'readers', run: () => Promise.all([hub.stop(), queueEvents.stop()]), timeoutMs: 2000 },
      { name: 'queues', run: () => closeQueues(queues) },
      { name: 'mongoose', run: () => mongo.close() },
      {
        name: 'redis',
        run: async () => {
          liveReader.disconnect();
          eventsReader.disconnect();
          await redis.quit();
        },
      },
    ],
  };
}
