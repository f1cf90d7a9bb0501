import { JOB_CATALOGUE, type ClickEvent, type JobPayload, type QueueName } from '@seedline/domain';
import type { Queues } from '@seedline/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Spool, SpooledJob } from '../spool/spool.js';

/**
 * Where ingest puts events: BullMQ when Redis answers, the fsynced spool when it does not. Either way the
 * event is durable before the caller answers. Clicks that arrive in the same event-loop tick are coalesced
 * into ONE job carrying an array, which keeps the redirect path close to a bare redirect under load.
 */
export class EventSink {
  private tick: { events: ClickEvent[]; waiters: { resolve: () => void; reject: (e: unknown) => void }[] } | null = null;
  private replaying: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** true while the spool holds events not yet in Redis; new events queue behind them */
  private backlog: boolean;
  spooled = 0;
  replayed = 0;

  constructor(
    private readonly queues: Queues,
    private readonly redis: Redis,
    private readonly spool: Spool,
    private readonly logger: Logger,
  ) {
    this.backlog = spool.hasWork();
  }

  get spooling(): boolean {
    return this.backlog;
  }

  start(intervalMs = 500): void {
    this.timer = setInterval(() => void this.replay(), intervalMs);
    this.timer.unref();
    void this.replay();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.replaying;
    this.spool.close();
  }

  async send<Q extends QueueName>(queue: Q, jobId: string, data: JobPayload<Q>): Promise<'queued' | 'spooled'> {
    return this.write([{ queue, jobId, data }]);
  }

  /** Resolves once the click is durable (in Redis or the spool). */
  click(event: ClickEvent): Promise<void> {
    if (!this.tick) {
      this.tick = { events: [], waiters: [] };
      setImmediate(() => void this.flushTick());
    }
    const tick = this.tick;
    tick.events.push(event);
    return new Promise((resolve, reject) => tick.waiters.push({ resolve, reject }));
  }

  clicks(events: ClickEvent[], jobId: string): Promise<'queued' | 'spooled'> {
    return this.write([{ queue: 'clicks', jobId, data: { events } }]);
  }

  private async flushTick(): Promise<void> {
    const tick = this.tick;
    this.tick = null;
    if (!tick) return;
    try {
      for (let i = 0; i < tick.events.length; i += 1000) {
        const events = tick.events.slice(i, i + 1000);
        await this.write([{ queue: 'clicks', jobId: `clk-${events[0]?.eventId}`, data: { events } }]);
      }
      for (const w of tick.waiters) w.resolve();
    } catch (err) {
      for (const w of tick.waiters) w.reject(err);
    }
  }

  private async write(jobs: SpooledJob[]): Promise<'queued' | 'spooled'> {
    // Spool while older spooled events wait, so the order of events per influencer is kept.
    if (this.redis.status === 'ready' && !this.backlog) {
      try {
        await this.enqueue(jobs);
        return 'queued';
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'Redis refused events; spooling them');
      }
    }
    this.spool.append(jobs);
    this.backlog = true;
    this.spooled += jobs.length;
    return 'spooled';
  }

  private async enqueue(jobs: SpooledJob[]): Promise<void> {
    const byQueue = new Map<QueueName, SpooledJob[]>();
    for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), j]);
    await Promise.all(
      [...byQueue].map(([queue, list]) =>
        list.length === 1 && list[0]
          ? this.queues[queue].add(queue, list[0].data, { ...JOB_CATALOGUE[queue].options, jobId: list[0].jobId } as never)
          : this.queues[queue].addBulk(
              list.map((j) => ({ name: queue, data: j.data, opts: { ...JOB_CATALOGUE[queue].options, jobId: j.jobId } as never })),
            ),
      ),
    );
  }

  async replay(): Promise<void> {
    if (this.replaying || this.redis.status !== 'ready' || !this.backlog) return;
    this.replaying = (async () => {
      try {
        let n = 0;
        // Events spooled during a replay sit in a fresh file: take it too, until the spool is empty.
        for (let round = 0; round < 20 && this.backlog; round++) {
          n += await this.spool.replay((jobs) => this.enqueue(jobs));
          this.backlog = this.spool.hasWork();
        }
        if (n > 0) {
          this.replayed += n;
          this.logger.info({ events: n }, 'replayed spooled events');
        }
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'spool replay paused; Redis still unavailable');
      } finally {
        this.replaying = null;
      }
    })();
    await this.replaying;
  }
}
