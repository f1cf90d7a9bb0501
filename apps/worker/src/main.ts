import { CampaignCache, campaignRepository, connectMongo, createRepositories, ensureIndexes } from '@seedline/db';
import { closeQueues, createLogger, createQueues, onShutdown, redisConnection, withTimeout } from '@seedline/runtime';
import type { Connection } from 'mongoose';
import { loadWorkerConfig } from './config.js';
import { LivePublisher } from './live/live-publisher.js';
import { InfluencerLocks, RedisLocks } from './locks/influencer-locks.js';
import { createHandlers } from './processors/index.js';
import { createServices } from './services.js';
import { createWorkers } from './workers.js';

const config = loadWorkerConfig();
const logger = createLogger('worker', config.LOG_LEVEL);

const workerConnection = redisConnection(config.REDIS_URL, 'worker');
const clientConnection = redisConnection(config.REDIS_URL, 'subscriber');
for (const c of [workerConnection, clientConnection]) c.on('error', (err) => logger.debug({ err: err.message }, 'redis error'));
const queues = createQueues(clientConnection, config.QUEUE_PREFIX);

const mongo = await connectWithRetry();
const repos = createRepositories(mongo);
await ensureIndexes(repos);
// A killed worker's locks lapse after the same time as its jobs' locks; its jobs come back after that.
const lockOptions = { ttlMs: config.WORKER_LOCK_MS, waitMs: 2 * config.WORKER_LOCK_MS + 15_000 };
const campaigns = new CampaignCache(campaignRepository(mongo), 30_000);
const services = createServices({
  repos,
  campaigns,
  queues,
  live: new LivePublisher(clientConnection, config.QUEUE_PREFIX),
  locks: new InfluencerLocks(clientConnection, config.QUEUE_PREFIX, lockOptions),
  reminderLocks: new RedisLocks(clientConnection, config.QUEUE_PREFIX, 'reminder', lockOptions),
  config,
  logger,
});

const workers = createWorkers({
  connection: workerConnection,
  config,
  logger,
  handlers: createHandlers(services),
  onFinalFailure: async (queue, job, err) => {
    if (queue === 'reminders') await services.sender.giveUp(String(job.data?.reminderId), err.message);
  },
});
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

onShutdown(logger, [
  // Active jobs finish (or their lock is released) before the process leaves: no stalled jobs on restart.
  { name: 'workers', run: () => Promise.all(workers.map((w) => withTimeout(w.close(), 15_000, `worker ${w.name}`))), timeoutMs: 20_000 },
  { name: 'queues', run: () => closeQueues(queues) },
  { name: 'mongoose', run: () => mongo.close() },
  { name: 'redis', run: () => Promise.all([workerConnection.quit(), clientConnection.quit()]) },
]);

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
