import {
  CampaignCache,
  campaignRepository,
  connectMongoWithRetry,
  createRepositories,
  ensureIndexes,
  pingMongo,
  webhookRepositories,
} from '@seedline/db';
import { JOB_CATALOGUE, QUEUE_NAMES, reminderJob } from '@seedline/domain';
import {
  announceReimbursementMoves,
  closeQueues,
  createLogger,
  createQueues,
  GraphClient,
  instagramEnabled,
  onShutdown,
  startOrExit,
  ParkedJobs,
  redisConnection,
  systemResolver,
  withTimeout,
} from '@seedline/runtime';
import type { Connection } from 'mongoose';
import { loadWorkerConfig } from './config.js';
import { watchEventLoop } from './health/event-loop.js';
import { LivePublisher } from './live/live-publisher.js';
import { DatabaseGate } from './parking/database-gate.js';
import { RedisLocks } from './locks/redis-locks.js';
import { chooseProvider } from './payouts/choose-provider.js';
import { FundsPause } from './payouts/funds-pause.js';
import { createHandlers } from './processors/index.js';
import { EmailChannel } from './reminders/channels/email.channel.js';
import { WebhookChannel } from './reminders/channels/webhook.channel.js';
import { createServices } from './services.js';
import { WebhookDeliverer } from './webhooks/deliverer.js';
import { fanOutBatcher } from './webhooks/fanout.js';
import { DisabledNotice } from './webhooks/disabled-notice.js';
import { WebhookEmitter } from './webhooks/emitter.js';
import { KeyOrder } from './webhooks/key-order.js';
import { createWorkers } from './workers.js';

const config = loadWorkerConfig();
const logger = createLogger('worker', config.LOG_LEVEL);
const payouts = chooseProvider(config);

watchEventLoop(logger, config.WORKER_LOCK_MS);

// One connection per BullMQ worker (a burst of completions on one queue must not delay another queue's lock
// renewals), one for producers and streams, one for the reminder locks.
const connections = {
  workers: QUEUE_NAMES.map(() => redisConnection(config.REDIS_URL, 'worker')),
  client: redisConnection(config.REDIS_URL, 'subscriber'),
  locks: redisConnection(config.REDIS_URL, 'subscriber'),
};
const allConnections = [...connections.workers, connections.client, connections.locks];
for (const c of allConnections) c.on('error', (err) => logger.debug({ err: err.message }, 'redis error'));
const queues = createQueues(connections.client, config.QUEUE_PREFIX, (err) =>
  logger.debug({ err: err.message }, 'queue error'),
);

const live = new LivePublisher(connections.client, config.QUEUE_PREFIX);
const mongo = await startOrExit(logger, connectWithRetry());
// Brand webhooks read and write through a small pool of their own: a burst of fan-outs and attempts (a hanging
// endpoint's backlog, a brand with many endpoints) waits for its own connections, never in front of the status
// updates, sign-ups and submissions on the main pool, and holds at most WEBHOOK_DB_POOL_SIZE at once.
const hooksMongo = await startOrExit(logger, connectWithRetry(config.WEBHOOK_DB_POOL_SIZE));
const hookRepos = webhookRepositories(hooksMongo);
const repos = createRepositories(mongo, {
  // Every reimbursement move this process makes becomes the brand's `reimbursement.updated` (the ledger entry's
  // id is the event's). `webhooks` is set below, before any job runs.
  // The move also changes the summary's reimbursement counts: its live stream says so.
  onReimbursementMove: announceReimbursementMoves({
    webhooks: () => webhooks.emitter,
    handleOf: async (id) => (await repos.reimbursements.findById(id))?.instagramHandle ?? null,
    touchSummaries: (ids) => live.summaryMoved(ids),
    logger,
  }),
  onCounterFoldError: (err) =>
    logger.warn(
      { err: (err as Error).message },
      'stage counter moves not folded yet; reads count them, the recount folds them',
    ),
});
await ensureIndexes(repos);
const campaigns = new CampaignCache(campaignRepository(mongo), 30_000);
const channels = { email: new EmailChannel(config), webhook: new WebhookChannel(config) };
const disabledNotice = new DisabledNotice(repos, config, logger);
const webhooks = {
  emitter: new WebhookEmitter(repos, campaigns, queues),
  repos: hookRepos,
  numbering: new KeyOrder(),
  // `services` is set below, before any job runs.
  fanOut: fanOutBatcher(hookRepos, queues, () => services.statusFirst()),
  deliverer: new WebhookDeliverer(
    hookRepos,
    queues,
    { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, resolver: systemResolver },
    config,
    logger,
    (endpoint, reason) => disabledNotice.send(endpoint, reason),
  ),
};
if (config.WEBHOOK_ALLOW_PRIVATE)
  logger.warn('WEBHOOK_ALLOW_PRIVATE=1: brand webhooks may go over http and to private addresses (development only)');
const services = createServices({
  repos,
  campaigns,
  queues,
  live,
  reminderLocks: new RedisLocks(connections.locks, config.QUEUE_PREFIX, 'reminder', {
    ttlMs: config.WORKER_LOCK_MS,
    waitMs: 2 * config.WORKER_LOCK_MS + 15_000,
  }),
  channels,
  noticeMailer: channels.email,
  payoutProvider: payouts.provider,
  fundsPause: new FundsPause(
    connections.client,
    config.QUEUE_PREFIX,
    queues.payouts,
    config.PAYOUT_FUNDS_RETRY_SECONDS * 1000,
    logger,
  ),
  config,
  logger,
  instagram: instagramEnabled(config)
    ? {
        graph: new GraphClient({
          baseUrl: config.INSTAGRAM_GRAPH_URL,
          appId: config.INSTAGRAM_APP_ID,
          appSecret: config.INSTAGRAM_APP_SECRET,
          slowdownMaxMs: config.IG_SLOWDOWN_MAX_MS,
          rateLimitBackoffMs: config.IG_RATE_LIMIT_BACKOFF_SECONDS * 1000,
          onUsage: (percent, pauseMs) => {
            if (pauseMs > 0) logger.info({ percent, pauseMs }, 'graph api usage high: slowing down');
          },
        }),
        dataKey: config.DATA_KEY,
      }
    : null,
  webhooks,
});

const parked = new ParkedJobs(connections.client, config.QUEUE_PREFIX);
const gate = new DatabaseGate(() => pingMongo(mongo), parked, queues, logger, config.DB_PROBE_MS);
const workers = createWorkers({
  connections: connections.workers,
  config,
  logger,
  handlers: createHandlers(services),
  parking: { gate, parked, recheckMs: config.PARKED_RECHECK_MS },
  onFinalFailure: async (queue, job, err) => {
    // A payload that failed its own schema names no reminder to give up on.
    const reminder = queue === 'reminders' ? reminderJob.safeParse(job.data) : null;
    if (reminder?.success) await services.sender.giveUp(reminder.data.reminderId, err.message);
  },
});
onShutdown(logger, [
  // Active jobs finish (or their lock is released) before the process leaves: no stalled jobs on restart.
  {
    name: 'workers',
    run: () => Promise.all(workers.map((w) => withTimeout(w.close(), 15_000, `worker ${w.name}`))),
    timeoutMs: 20_000,
  },
  { name: 'database gate', run: () => Promise.resolve(gate.stop()) },
  { name: 'queues', run: () => closeQueues(queues) },
  { name: 'reminder channels', run: () => Promise.all(Object.values(channels).map((c) => c.close())) },
  { name: 'webhook notices', run: () => Promise.resolve(disabledNotice.close()) },
  { name: 'webhook connections', run: () => Promise.resolve(webhooks.deliverer.close()) },
  { name: 'mongoose', run: () => Promise.all([mongo.close(), hooksMongo.close()]) },
  { name: 'redis', run: () => Promise.all(allConnections.map((c) => c.quit())) },
]);
for (const w of workers) void w.run();
await gate.replayLeftovers().catch((err: Error) => logger.warn({ err: err.message }, 'parked jobs not replayed'));

// Every worker upserts the same scheduler id: Redis keeps exactly one, however many start at once. A cron
// pattern, not `every`: an `every` scheduler runs at once on each upsert, i.e. a full recount per worker start.
await queues.recount.upsertJobScheduler(
  'recount',
  { pattern: config.RECOUNT_CRON, tz: 'UTC' },
  { name: 'recount', data: {}, opts: JOB_CATALOGUE.recount.options },
);
// Every worker upserts the same scheduler id: Redis keeps exactly one, however many start at once.
await queues['reminder-sweep'].upsertJobScheduler(
  'reminder-sweep',
  { every: Math.round(config.REMINDER_SWEEP_SECONDS * 1000) },
  { name: 'reminder-sweep', data: {}, opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } },
);
// Every worker upserts the same scheduler id: Redis keeps exactly one. Payouts in flight are followed, and
// approved ones whose job was lost are sent, from here.
await queues['payout-sweep'].upsertJobScheduler(
  'payout-sweep',
  { every: Math.round(config.PAYOUT_SWEEP_SECONDS * 1000) },
  { name: 'payout-sweep', data: {}, opts: JOB_CATALOGUE['payout-sweep'].options },
);
logger.info({ provider: payouts.provider.name }, payouts.note);
if (services.instagram) {
  await queues['instagram-sweep'].upsertJobScheduler(
    'instagram-sweep',
    { every: Math.round(config.IG_SWEEP_SECONDS * 1000) },
    { name: 'instagram-sweep', data: {}, opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } },
  );
} else {
  await queues['instagram-sweep'].removeJobScheduler('instagram-sweep');
  logger.info(
    'INSTAGRAM_GRAPH_URL, INSTAGRAM_APP_ID or INSTAGRAM_APP_SECRET is not set: posts are not verified on Instagram',
  );
}
if (!config.REMINDER_WEBHOOK_URL) logger.info('REMINDER_WEBHOOK_URL is not set: reminders go by email only');
logger.info({ queues: [...new Set(workers.map((w) => w.name))], batching: config.CLICK_BATCHING }, 'worker running');

function connectWithRetry(maxPoolSize?: number): Promise<Connection> {
  return connectMongoWithRetry(config.MONGO_URL, {
    maxPoolSize,
    onRetry: (attempt, err) => logger.warn({ attempt, err: err.message }, 'database not reachable yet; retrying'),
  });
}
