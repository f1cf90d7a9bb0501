import { randomUUID } from 'node:crypto';
import { CampaignCache, campaignRepository, connectMongo, createRepositories, ensureIndexes } from '@seedline/db';
import { JOB_CATALOGUE, jobIdFor, QUEUE_NAMES } from '@seedline/domain';
import { closeQueues, createLogger, createQueues, onShutdown, redisConnection, withTimeout } from '@seedline/runtime';
import type { Connection } from 'mongoose';
import { loadWorkerConfig } from './config.js';
import { watchEventLoop } from './health/event-loop.js';
import { LivePublisher } from './live/live-publisher.js';
import { InfluencerLocks, RedisLocks } from './locks/influencer-locks.js';
import { createHandlers } from './processors/index.js';
import { createServices } from './services.js';
import { createWorkers } from './workers.js';

const config = loadWorkerConfig();
const logger = createLogger('worker', config.LOG_LEVEL);

watchEventLoop(logger, config.WORKER_LOCK_MS);

// One connection per BullMQ worker (a burst of completions on one queue must not delay another queue's lock
// renewals), one for producers and streams, one for the influencer and reminder locks.
const connections = {
  workers: QUEUE_NAMES.map(() => redisConnection(config.REDIS_URL, 'worker')),
  client: redisConnection(config.REDIS_URL, 'subscriber'),
  locks: redisConnection(config.REDIS_URL, 'subscriber'),
};
const allConnections = [...connections.workers, connections.client, connections.locks];
for (const c of allConnections) c.on('error', (err) => logger.debug({ err: err.message }, 'redis error'));
const queues = createQueues(connections.client, config.QUEUE_PREFIX);

const mongo = await connectWithRetry();
const repos = createRepositories(mongo);
await ensureIndexes(repos);
const lockOptions = { ttlMs: config.INFLUENCER_LOCK_MS, waitMs: 2 * config.INFLUENCER_LOCK_MS + 15_000 };
// A vanished holder's writes have been running for a whole lock lifetime when its lock is taken over, so most
// have landed or are about to: a first repair soon after, a second one late for stragglers.
const REPAIR_DELAYS_MS = [Math.min(5000, config.INFLUENCER_LOCK_MS), 2 * config.INFLUENCER_LOCK_MS];
const influencerLocks = new InfluencerLocks(connections.locks, config.QUEUE_PREFIX, {
  ...lockOptions,
  // A holder that vanished (killed, or alive but its lock lapsed) may still have writes running in FerretDB,
  // which finishes a dead client's commands on its own time and loses one of two concurrent updates; one landing
  // after ours would overwrite them with a stale read. The documents are rebuilt from their events once such
  // writes have had ample time to land.
  onTakeover: async (ids) => {
    logger.warn({ influencers: ids.length }, 'influencer locks taken over from a vanished holder; repair scheduled');
    await queues.repairs.addBulk(
      ids.flatMap((influencerId) =>
        REPAIR_DELAYS_MS.map((delay) => ({
          name: 'repairs',
          data: { influencerId },
          opts: { ...JOB_CATALOGUE.repairs.options, jobId: jobIdFor('repair', `${influencerId}-${randomUUID()}`), delay },
        })),
      ),
    );
  },
});
const campaigns = new CampaignCache(campaignRepository(mongo), 30_000);
const services = createServices({
  repos,
  campaigns,
  queues,
  live: new LivePublisher(connections.client, config.QUEUE_PREFIX),
  locks: influencerLocks,
  reminderLocks: new RedisLocks(connections.locks, config.QUEUE_PREFIX, 'reminder', lockOptions),
  config,
  logger,
});

const workers = createWorkers({
  connections: connections.workers,
  config,
  logger,
  handlers: createHandlers(services),
  onFinalFailure: async (queue, job, err) => {
    if (queue === 'reminders') await services.sender.giveUp(String(job.data?.reminderId), err.message);
  },
});
onShutdown(logger, [
  // Active jobs finish (or their lock is released) before the process leaves: no stalled jobs on restart.
  { name: 'workers', run: () => Promise.all(workers.map((w) => withTimeout(w.close(), 15_000, `worker ${w.name}`))), timeoutMs: 20_000 },
  { name: 'queues', run: () => closeQueues(queues) },
  { name: 'mongoose', run: () => mongo.close() },
  { name: 'redis', run: () => Promise.all(allConnections.map((c) => c.quit())) },
]);
for (const w of workers) void w.run();

if (config.REMINDER_WEBHOOK_URL) {
  // Every worker upserts the same scheduler id: Redis keeps exactly one, however many start at once.
  await queues['reminder-sweep'].upsertJobScheduler(
    'reminder-sweep',
    { every: Math.round(config.REMINDER_SWEEP_SECONDS * 1000) },
    { name: 'reminder-sweep', data: {}, opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } },
  );
} else {
  logger.warn('REMINDER_WEBHOOK_URL is not set: reminders are scheduled but not delivered');
}
logger.info({ queues: workers.map((w) => w.name), batching: config.CLICK_BATCHING }, 'worker running');

async function connectWithRetry(): Promise<Connection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectMongo(config.MONGO_URL);
    } catch (err) {
      if (attempt >= 30) throw err;
      logger.warn({ attempt, err: (err as Error).message }, 'database not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
