import type { Request, RequestHandler, Router } from 'express';
import { Router as createRouter } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueName } from '@seedline/domain';
import { metricsAuth } from '@seedline/http';
import type { ParkedJobs, Queues } from '@seedline/runtime';
import { registerParkingMetrics } from './parking-metrics.js';
import type { FinishedJob } from './queue-events.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/** The route pattern, never the raw path: ids in paths would explode the label set. */
export function routeLabel(req: Request): string {
  const route = req.route as { path?: string | string[] } | undefined;
  if (route?.path !== undefined) {
    const path = Array.isArray(route.path) ? (route.path[0] ?? '') : route.path;
    return `${req.baseUrl ?? ''}${path}` || '/';
  }
  for (const prefix of ['/admin/queues', '/dashboard', '/docs']) {
    if (req.originalUrl.startsWith(prefix)) return `${prefix}/*`;
  }
  return 'unmatched';
}

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly jobDuration: Histogram<'queue' | 'outcome'>;
  private readonly jobsFinished: Counter<'queue' | 'outcome'>;
  private readonly eventsProcessed: Counter<'kind'>;
  private readonly remindersSent: Counter;
  private readonly reminderDeliveries: Counter<'channel' | 'outcome'>;
  private readonly payouts: Counter<'outcome'>;

  constructor(
    queues: Queues,
    openStreams: () => number,
    parked: ParkedJobs,
    /** whether payouts are paused for lack of funds (read from Redis at scrape time) */
    payoutsPaused: () => Promise<boolean> = () => Promise.resolve(false),
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'seedline_api_' });
    registerParkingMetrics(this.registry, parked);
    this.http = new Histogram({
      name: 'seedline_api_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    new Gauge({
      name: 'seedline_queue_jobs',
      help: 'jobs per queue and state, read from Redis at scrape time',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const counts = await Promise.all(
          Object.entries(queues).map(
            async ([name, queue]) => [name, await queue.getJobCounts(...JOB_STATES).catch(() => null)] as const,
          ),
        );
        this.reset();
        for (const [queue, byState] of counts) {
          for (const state of JOB_STATES) if (byState) this.set({ queue, state }, byState[state] ?? 0);
        }
      },
    });
    this.jobDuration = new Histogram({
      name: 'seedline_job_duration_seconds',
      help: 'processing time of jobs (active to finished), seen through the queues event streams',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.jobsFinished = new Counter({
      name: 'seedline_jobs_finished_total',
      help: 'jobs finished since this process started, by outcome',
      labelNames: ['queue', 'outcome'],
      registers: [this.registry],
    });
    this.eventsProcessed = new Counter({
      name: 'seedline_events_processed_total',
      help: 'events applied by the workers (clicks, sign-ups, submissions) since this process started',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.remindersSent = new Counter({
      name: 'seedline_reminders_sent_total',
      help: 'reminders delivered (by any channel) since this process started',
      registers: [this.registry],
    });
    this.reminderDeliveries = new Counter({
      name: 'seedline_reminder_deliveries_total',
      help: 'reminders by channel (email, webhook) and outcome (sent, failed, skipped, retry: a passing failure, tried again)',
      labelNames: ['channel', 'outcome'],
      registers: [this.registry],
    });
    this.payouts = new Counter({
      name: 'seedline_payouts_total',
      help: 'payout jobs by outcome (paid, failed, in_flight: sent and followed, manual, settled, ...) since this process started',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'seedline_payouts_paused',
      help: '1 while payouts are paused because the provider said the sending account lacks funds',
      registers: [this.registry],
      async collect() {
        this.set((await payoutsPaused().catch(() => false)) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'seedline_live_streams_open',
      help: 'server-sent event streams currently open',
      registers: [this.registry],
      collect() {
        this.set(openStreams());
      },
    });
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const end = this.http.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
      next();
    };
  }

  jobFinished(job: FinishedJob): void {
    this.jobsFinished.inc({ queue: job.queue, outcome: job.outcome });
    if (job.durationMs !== null)
      this.jobDuration.observe({ queue: job.queue, outcome: job.outcome }, job.durationMs / 1000);
    if (job.queue === 'reminders') this.countReminder(job);
    if (job.queue === 'payouts') {
      const outcome = (job.returnvalue as { outcome?: unknown } | null)?.outcome;
      this.payouts.inc({ outcome: job.outcome === 'completed' && typeof outcome === 'string' ? outcome : job.outcome });
    }
    if (job.outcome !== 'completed') return;
    const kinds: Partial<Record<QueueName, string>> = { signups: 'signup', submissions: 'submission', clicks: 'click' };
    const kind = kinds[job.queue];
    if (job.queue === 'clicks') {
      const n = Number((job.returnvalue as { events?: unknown } | null)?.events ?? 0);
      if (Number.isFinite(n) && n > 0) this.eventsProcessed.inc({ kind: 'click' }, n);
    } else if (kind) {
      this.eventsProcessed.inc({ kind });
    }
    if (job.queue === 'reminders' && (job.returnvalue as { outcome?: unknown } | null)?.outcome === 'sent')
      this.remindersSent.inc();
  }

  /** A finished reminder names each channel's outcome; a failed attempt names the channels that failed (`email: …`). */
  private countReminder(job: FinishedJob): void {
    if (job.outcome === 'failed') {
      for (const m of (job.failedReason ?? '').matchAll(/(?:^|; )(email|webhook): /g))
        this.reminderDeliveries.inc({ channel: m[1], outcome: 'retry' });
      return;
    }
    const channels = (job.returnvalue as { channels?: Record<string, unknown> } | null)?.channels ?? {};
    for (const [channel, outcome] of Object.entries(channels)) {
      if ((channel === 'email' || channel === 'webhook') && typeof outcome === 'string')
        this.reminderDeliveries.inc({ channel, outcome });
    }
  }

  /** `token`: METRICS_TOKEN, the Bearer token scrapes must carry (unset: open, development only) */
  router(token: string | undefined): Router {
    const router = createRouter();
    router.get('/metrics', metricsAuth(token), async (_req, res) => {
      res.type(this.registry.contentType).send(await this.registry.metrics());
    });
    return router;
  }
}
