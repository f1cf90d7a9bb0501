import type { Logger } from 'pino';
import {
  attributionTagRepository,
  blockedInfluencerRepository,
  CampaignCache,
  campaignRepository,
  connectMongoWithRetry,
  pingMongo,
} from '@seedline/db';
import {
  BlockedHandles,
  closeQueues,
  createQueues,
  redisConnection,
  subscribeCampaignChanges,
  type ShutdownStep,
} from '@seedline/runtime';
import { createApp, type IngestListener } from './app.js';
import type { IngestConfig } from './config.js';
import { EventSink } from './enqueue/event-sink.js';
import { redirectTargetVet } from './links/target-vet.js';
import { Spool } from './spool/spool.js';

export interface ComposedIngest {
  listener: IngestListener;
  sink: EventSink;
  /** in order, after the HTTP server stopped taking requests */
  shutdownSteps: ShutdownStep[];
}

/** Connections, the spool and the request listener, wired once at boot. */
export async function composeIngest(config: IngestConfig, logger: Logger): Promise<ComposedIngest> {
  // Reconnect at least every second: spooled events wait for Redis, so a short backoff shortens their delay.
  const redis = redisConnection(config.REDIS_URL, 'producer', {
    retryStrategy: (times) => Math.min(100 * times, 1000),
  });
  redis.on('error', (err) => logger.debug({ err: err.message }, 'redis connection error'));
  const queues = createQueues(redis, config.QUEUE_PREFIX, (err) => logger.debug({ err: err.message }, 'queue error'));
  const mongo = await connectMongoWithRetry(config.MONGO_URL, {
    onRetry: (attempt, err) => logger.warn({ attempt, err: err.message }, 'database not reachable yet; retrying'),
  });
  const spool = new Spool(config.SPOOL_DIR);
  const sink = new EventSink(queues, redis, spool, logger, {
    enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
    replayIntervalMs: config.SPOOL_RETRY_MS,
    retryBaseMs: config.EVENT_RETRY_BASE_MS,
  });
  sink.start();

  const campaigns = new CampaignCache(
    campaignRepository(mongo),
    config.CAMPAIGN_CACHE_MS,
    attributionTagRepository(mongo).urlsFor,
    redirectTargetVet(config.ALLOWED_REDIRECT_HOSTS, logger),
  );
  // A brand's change reaches its links at once: the API announces it, this drops the cached copy.
  const subscriber = redisConnection(config.REDIS_URL, 'subscriber', {
    connectionName: 'seedline-ingest-campaign-changes',
  });
  subscriber.on('error', (err) => logger.debug({ err: err.message }, 'redis subscriber error'));
  const changes = subscribeCampaignChanges(
    subscriber,
    config.QUEUE_PREFIX,
    { changed: (id) => campaigns.invalidate(id), resync: () => campaigns.invalidateAll() },
    logger,
  );

  const listener = createApp({
    config,
    logger,
    redis,
    sink,
    campaigns,
    blocked: new BlockedHandles(redis, config.QUEUE_PREFIX, blockedInfluencerRepository(mongo)),
    mongoReady: () => pingMongo(mongo),
  });
  return {
    listener,
    sink,
    shutdownSteps: [
      { name: 'campaign changes', run: () => Promise.resolve(changes.stop()) },
      { name: 'spool', run: () => sink.stop() },
      // With Redis down there is nothing to flush: closing politely would only wait for a connection that never comes.
      {
        name: 'queues',
        run: async () => (redis.status === 'ready' ? closeQueues(queues) : undefined),
        timeoutMs: 3000,
      },
      { name: 'mongoose', run: () => mongo.close() },
      {
        name: 'redis',
        run: async () => (redis.status === 'ready' ? redis.quit() : redis.disconnect()),
        timeoutMs: 3000,
      },
    ],
  };
}
