import {
  jobIdFor,
  JOB_CATALOGUE,
  SIGNUPS_PER_JOB,
  type ClickEvent,
  type JobPayload,
  type QueueName,
  type SignupJob,
} from '@seedline/domain';
import { isParkingQueue, WriteBatcher, type Queues } from '@seedline/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Spool, SpooledJob } from '../spool/spool.js';

export interface EventSinkOptions {
  /** longest wait for Redis to confirm a job before the event goes to the spool instead */
  enqueueTimeoutMs: number;
  /** how often a spool backlog is retried while Redis stays unavailable */
  replayIntervalMs: number;
  /** first retry delay of event jobs (EVENT_RETRY_BASE_MS) */
  retryBaseMs: number;
}

/** Called once a click is durable (no argument), or with the reason neither Redis nor the spool took it. */
export type ClickDone = (err?: unknown) => void;

/** The most events one click job carries (the job schema's bound). */
const EVENTS_PER_JOB = 1000;
/** Click writes waiting for Redis at once; clicks arriving meanwhile gather into the next, larger, job. */
const MAX_FLUSHES_IN_FLIGHT = 2;

const eventsIn = (job: SpooledJob) => {
  const { events, signups } = job.data as { events?: unknown[]; signups?: unknown[] };
  return Array.isArray(events) ? events.length : Array.isArray(signups) ? signups.length : 1;
};

/**
 * Where ingest puts events: BullMQ when Redis answers, the fsynced spool when it does not. Either way the
 * event is durable before the caller answers. Clicks are coalesced into jobs carrying arrays: those of one
 * event-loop tick are flushed together by `setImmediate` (a lone click waits for no timer), and while
 * MAX_FLUSHES_IN_FLIGHT writes wait for Redis, new clicks gather into the next one. Under load this removes
 * most of BullMQ's per-job cost, which keeps the redirect path close to a bare redirect.
 */
export class EventSink {
  private pending: { events: ClickEvent[]; done: ClickDone[] } = { events: [], done: [] };
  private flushScheduled = false;
  private flushesInFlight = 0;
  private replaying: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** true while the spool holds events not yet in Redis; new events queue behind them to keep their order */
  private backlog: boolean;
  /** events written to the spool / moved from the spool to Redis by this process */
  spooled = 0;
  replayed = 0;
  /** the last completed replay: events moved and how long it took */
  lastReplay = { events: 0, ms: 0 };
  /**
   * Sign-ups of one event-loop tick (up to a job's worth) go out as one job carrying them all, and while two
   * such writes wait for Redis the next ones gather: under load the per-job cost (an add here, and in the
   * worker a move to active and one to finished) is paid per batch. Alone, a sign-up waits for no timer.
   */
  private readonly signupBatches = new WriteBatcher(
    (signups: SignupJob[]) => {
      const [first] = signups as [SignupJob];
      const jobId = jobIdFor('signups', `${first.influencerId}-${first.accepted ?? Date.parse(first.at)}`);
      return this.write([{ queue: 'signups', jobId, data: { signups } }]);
    },
    { maxItems: SIGNUPS_PER_JOB, maxInFlight: MAX_FLUSHES_IN_FLIGHT },
  );

  constructor(
    private readonly queues: Queues,
    private readonly redis: Redis,
    private readonly spool: Spool,
    private readonly logger: Logger,
    private readonly options: EventSinkOptions,
  ) {
    this.backlog = spool.hasWork();
  }

  get spooling(): boolean {
    return this.backlog;
  }

  start(): void {
    this.timer = setInterval(() => void this.replay(), this.options.replayIntervalMs);
    this.timer.unref();
    this.redis.on('ready', () => void this.replay());
    void this.replay();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.replaying;
    this.spool.close();
  }

  send<Q extends QueueName>(queue: Q, jobId: string, data: JobPayload<Q>): Promise<'queued' | 'spooled'> {
    return this.write([{ queue, jobId, data }]);
  }

  /** Stores a sign-up (batched with those of the same moment); resolves once it is in Redis or the spool. */
  signup(job: SignupJob): Promise<'queued' | 'spooled'> {
    return this.signupBatches.add([job]);
  }

  /**
   * Records a click; `done` is called once it is durable (in Redis or the spool). A callback rather than a
   * promise: the redirect is the hot path, and a promise per click (with its reactions) is measurable there.
   */
  click(event: ClickEvent, done: ClickDone): void {
    this.pending.events.push(event);
    this.pending.done.push(done);
    this.scheduleFlush();
  }

  clicks(events: ClickEvent[], jobId: string): Promise<'queued' | 'spooled'> {
    return this.write([{ queue: 'clicks', jobId, data: { events } }]);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushesInFlight >= MAX_FLUSHES_IN_FLIGHT || this.pending.events.length === 0)
      return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushesInFlight >= MAX_FLUSHES_IN_FLIGHT || this.pending.events.length === 0) return;
    const batch = this.pending;
    this.pending = { events: [], done: [] };
    this.flushesInFlight++;
    let failure: { err: unknown } | undefined;
    try {
      const jobs: SpooledJob[] = [];
      for (let i = 0; i < batch.events.length; i += EVENTS_PER_JOB) {
        const events = batch.events.length <= EVENTS_PER_JOB ? batch.events : batch.events.slice(i, i + EVENTS_PER_JOB);
        jobs.push({ queue: 'clicks', jobId: `clk-${events[0]?.eventId}`, data: { events } });
      }
      await this.write(jobs);
    } catch (err) {
      failure = { err };
    } finally {
      this.flushesInFlight--;
      this.scheduleFlush();
    }
    // Outside the try: a callback that throws is not told its click failed, and the others still run.
    for (const done of batch.done) {
      try {
        if (failure) done(failure.err ?? new Error('click not recorded'));
        else done();
      } catch (err) {
        this.logger.error({ err }, 'click callback failed');
      }
    }
  }

  private async write(jobs: SpooledJob[]): Promise<'queued' | 'spooled'> {
    if (this.redis.status === 'ready' && !this.backlog) {
      try {
        await this.enqueueWithin(jobs, this.options.enqueueTimeoutMs);
        return 'queued';
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'Redis did not take events; spooling them');
      }
    }
    this.spool.append(jobs);
    if (!this.backlog) this.logger.warn('Redis unavailable: events go to the local spool until it is back');
    this.backlog = true;
    for (const j of jobs) this.spooled += eventsIn(j);
    return 'spooled';
  }

  /**
   * A Redis that accepts the connection but does not answer must not hold a redirect: past the deadline the
   * events are spooled too. If the late write lands after all, the replay's identical job ids and the
   * database's event ids keep the effect single.
   */
  private enqueueWithin(jobs: SpooledJob[], ms: number): Promise<void> {
    const write = this.enqueue(jobs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not confirm within ${ms} ms`)), ms);
    });
    write.catch(() => undefined);
    return Promise.race([write, deadline]).finally(() => clearTimeout(timer));
  }

  private async enqueue(jobs: SpooledJob[]): Promise<void> {
    const byQueue = new Map<QueueName, SpooledJob[]>();
    for (const j of jobs) {
      const list = byQueue.get(j.queue);
      if (list) list.push(j);
      else byQueue.set(j.queue, [j]);
    }
    await Promise.all(
      [...byQueue].map(([queue, list]) => {
        const backoff = isParkingQueue(queue)
          ? { backoff: { type: 'exponential', delay: this.options.retryBaseMs } }
          : {};
        const opts = (j: SpooledJob) => ({ ...JOB_CATALOGUE[queue].options, ...backoff, jobId: j.jobId }) as never;
        const [only] = list;
        return list.length === 1 && only
          ? this.queues[queue].add(queue, only.data, opts(only))
          : this.queues[queue].addBulk(list.map((j) => ({ name: queue, data: j.data, opts: opts(j) })));
      }),
    );
  }

  /** Moves spooled events to Redis, oldest first, until the spool is empty or Redis fails again. */
  async replay(): Promise<void> {
    if (this.replaying || this.redis.status !== 'ready' || !this.backlog) return;
    this.replaying = (async () => {
      let moved = 0;
      const started = Date.now();
      const replayedBefore = this.replayed;
      try {
        // Events spooled during a replay sit in a fresh file: take it too, until the spool is empty.
        while (this.backlog) {
          moved += await this.spool.replay(async (jobs) => {
            await this.enqueue(jobs);
            for (const j of jobs) this.replayed += eventsIn(j);
          });
          this.backlog = this.spool.hasWork();
        }
        this.lastReplay = { events: this.replayed - replayedBefore, ms: Date.now() - started };
        this.logger.info({ jobs: moved, ...this.lastReplay }, 'spool replayed; events go straight to Redis again');
      } catch (err) {
        this.logger.warn({ jobs: moved, err: (err as Error).message }, 'spool replay paused; Redis still unavailable');
      } finally {
        this.replaying = null;
      }
    })();
    await this.replaying;
  }
}
