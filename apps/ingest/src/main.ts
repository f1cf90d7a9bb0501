import { once } from 'node:events';
import { createServer } from 'node:http';
import { attributionTagRepository, CampaignCache, campaignRepository, connectMongo, pingMongo } from '@seedline/db';
import { closeQueues, createLogger, createQueues, onShutdown, redisConnection } from '@seedline/runtime';
import { createApp } from './app.js';
import { loadIngestConfig } from './config.js';
import { EventSink } from './enqueue/event-sink.js';
import { Spool } from './spool/spool.js';

const config = loadIngestConfig();
const logger = createLogger('ingest', config.LOG_LEVEL);

// Reconnect at least every second: spooled events wait for Redis, so a short backoff shortens their delay.
const redis = redisConnection(config.REDIS_URL, 'producer', { retryStrategy: (times) => Math.min(100 * times, 1000) });
redis.on('error', (err) => logger.debug({ err: err.message }, 'redis connection error'));
const queues = createQueues(redis, config.QUEUE_PREFIX);
for (const q of Object.values(queues)) q.on('error', (err) => logger.debug({ err: err.message }, 'queue error'));
const mongo = await connectMongo(config.MONGO_URL);
const spool = new Spool(config.SPOOL_DIR);
const sink = new EventSink(queues, redis, spool, logger, {
  enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
  replayIntervalMs: config.SPOOL_RETRY_MS,
});
sink.start();

const listener = createApp({
  config,
  logger,
  redis,
  sink,
  campaigns: new CampaignCache(
    campaignRepository(mongo),
    config.CAMPAIGN_CACHE_MS,
    attributionTagRepository(mongo).urlsFor,
  ),
  mongoReady: () => pingMongo(mongo),
});
const server = createServer(listener).listen(config.INGEST_PORT, '0.0.0.0');
await once(server, 'listening');
server.keepAliveTimeout = 65_000;
logger.info({ port: config.INGEST_PORT, spooling: sink.spooling }, 'ingest listening');

onShutdown(logger, [
  {
    name: 'http',
    run: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeIdleConnections();
      }),
  },
  { name: 'spool', run: () => sink.stop() },
  // With Redis down there is nothing to flush: closing politely would only wait for a connection that never comes.
  { name: 'queues', run: async () => (redis.status === 'ready' ? closeQueues(queues) : undefined), timeoutMs: 3000 },
  { name: 'mongoose', run: () => mongo.close() },
  { name: 'redis', run: async () => (redis.status === 'ready' ? redis.quit() : redis.disconnect()), timeoutMs: 3000 },
]);
