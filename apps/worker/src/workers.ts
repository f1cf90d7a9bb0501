import { hostname } from 'node:os';
import { Worker, type Job, type MinimalJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { JOB_CATALOGUE, QUEUE_NAMES, type QueueName } from '@seedline/domain';
import { RepeatFilter } from '@seedline/runtime';
import type { WorkerConfig } from './config.js';
import { toProcessor, type Handlers, type Parking } from './processors/processor.js';

const CONCURRENCY: Record<QueueName, (c: WorkerConfig) => number> = {
  signups: () => 50,
  clicks: (c) => c.CLICK_CONCURRENCY,
  submissions: () => 20,
  reminders: () => 10,
  'reminder-sweep': () => 1,
  recount: () => 1,
  unsubscribes: () => 10,
  reimbursements: () => 10,
  payouts: () => 10,
  'payout-sweep': () => 1,
  'reimbursement-notices': () => 5,
  // Graph API calls: a few at a time per process, so usage rises slowly enough for the headers to slow it down.
  instagram: () => 4,
  'instagram-sweep': () => 1,
  // Fan-outs of the jobs of a moment are made as one, after up to 1 s waiting for the status writes to pause
  // (fanOutBatcher): a job holds its slot for that long, and under a sustained load a few jobs arrive per status
  // write; many jobs waiting at once cost little, and 50 at a time fell ~10 s behind 200 events a second.
  'webhook-events': () => 200,
  'webhook-deliveries': (c) => c.WEBHOOK_CONCURRENCY,
};

/**
 * The most jobs one BullMQ Worker of a queue takes at once. BullMQ fetches a backlog one job per Redis round trip
 * until the Worker holds its whole concurrency, and starts none before: at 500, a backlog of clicks (a slower
 * write, a busy event loop) kept every fetched click waiting 2-8 s for the 499 fetches after it. A queue with
 * more concurrency gets several Workers of this size, fetching side by side, each starting its jobs after a few.
 */
export const FETCH_CHUNK = 25;

/** The concurrencies of the Workers a queue's concurrency is split into (see FETCH_CHUNK). */
export function fetchChunks(concurrency: number): number[] {
  const n = Math.ceil(concurrency / FETCH_CHUNK);
  return Array.from({ length: n }, (_, i) => Math.floor(concurrency / n) + (i < concurrency % n ? 1 : 0));
}

/** Exponential backoff with full jitter, so retries of many reminders do not hit a receiver in step. */
export function jitteredBackoff(attemptsMade: number, type?: string, _err?: Error, job?: MinimalJob): number {
  if (type !== 'jittered') return -1;
  const base = Number((job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1000);
  const ceiling = base * 2 ** Math.max(0, attemptsMade - 1);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export function createWorkers(deps: {
  /** one per queue, in QUEUE_NAMES order */
  connections: Redis[];
  config: WorkerConfig;
  logger: Logger;
  handlers: Handlers;
  /** event jobs failing because the database is unreachable are parked, not failed */
  parking?: Parking;
  onFinalFailure: (queue: QueueName, job: Job, err: Error) => Promise<void>;
}): Worker[] {
  const { connections, config, logger, handlers } = deps;
  // The same error of a queue's workers is logged once per 10 s, with how many were held back.
  const repeats = new RepeatFilter(10_000);
  return QUEUE_NAMES.flatMap((queue, i) => {
    const processor = toProcessor(queue, handlers[queue] as never, logger, deps.parking);
    // The Workers of one queue share its command connection; each blocks on a connection of its own.
    return fetchChunks(CONCURRENCY[queue](config)).map((concurrency) =>
      watched(
        queue,
        new Worker(queue, processor, {
          connection: connections[i] as Redis,
          prefix: config.QUEUE_PREFIX,
          autorun: false,
          concurrency,
          lockDuration: config.WORKER_LOCK_MS,
          stalledInterval: Math.max(1000, Math.floor(config.WORKER_LOCK_MS / 2)),
          // Every effect is idempotent, so a job taken over after a stall is simply run again; a process starved
          // of CPU for a while must not turn its jobs into failures.
          maxStalledCount: 10,
          // Shown as the job's `processedBy`.
          name: `${hostname()}-${process.pid}`,
          settings: { backoffStrategy: jitteredBackoff },
          // Also bounds jobs a producer enqueued without these options: Redis must not grow with traffic.
          removeOnComplete: JOB_CATALOGUE[queue].options.removeOnComplete,
          removeOnFail: JOB_CATALOGUE[queue].options.removeOnFail,
        }),
      ),
    );
  });

  function watched(queue: QueueName, worker: Worker): Worker {
    worker.on('failed', (job, err) => {
      if (!job) return;
      // Each failed attempt is logged by the processor; here only the ones that are not retried.
      void job
        .getState()
        .then(async (state) => {
          if (state !== 'failed') return;
          logger.error({ queue, jobId: job.id, attempts: job.attemptsMade, err: err.message }, 'job failed for good');
          await deps.onFinalFailure(queue, job, err);
        })
        .catch((e) => logger.error({ queue, jobId: job.id, err: (e as Error).message }, 'final-failure hook failed'));
    });
    worker.on('error', (err) => {
      const held = repeats.admit(`${queue} ${err.message}`);
      if (held !== null) logger.warn({ queue, err: err.message, ...(held ? { repeats: held } : {}) }, 'worker error');
    });
    // A job whose worker vanished (killed, or its lock lost) is taken over; after a clean shutdown none is.
    worker.on('stalled', (jobId) => logger.warn({ queue, jobId }, 'job stalled; taken over'));
    return worker;
  }
}
