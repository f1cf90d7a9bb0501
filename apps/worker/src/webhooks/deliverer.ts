import type { Repositories, WebhookDeliveryDoc, WebhookEndpointDoc } from '@seedline/db';
import {
  attemptVerdict,
  isPlainWebhookSecret,
  nextAttemptDelayMs,
  openWebhookSecret,
  sealWebhookSecret,
  standardWebhookHeaders,
  webhookSecretKey,
  type WebhookDeliveryJob,
} from '@seedline/domain';
import { guardedPost, queueAttempt, type OutboundPolicy, type Queues } from '@seedline/runtime';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';

type DelivererConfig = Pick<
  WorkerConfig,
  | 'WEBHOOK_RETRY_SCHEDULE'
  | 'WEBHOOK_DISABLE_AFTER_SECONDS'
  | 'WEBHOOK_DELIVERY_TIMEOUT_MS'
  | 'WEBHOOK_ENDPOINT_CONCURRENCY'
  | 'DATA_KEY'
>;

/**
 * One attempt of one delivery. The receiver's answer decides the next step here (2xx done, 410 disables, else
 * the schedule's next attempt as a new delayed job, Retry-After honoured), so a failing receiver never fails
 * a job: BullMQ's own retries are left for our failures (the database down).
 */
export class WebhookDeliverer {
  /** attempts in flight per endpoint in this process: a hanging endpoint holds at most this many slots */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly repos: Repositories,
    private readonly queues: Queues,
    private readonly policy: OutboundPolicy,
    private readonly config: DelivererConfig,
    private readonly logger: Logger,
    private readonly onDisabled: (endpoint: WebhookEndpointDoc, reason: 'gone' | 'failing') => Promise<void>,
  ) {}

  async attempt(job: WebhookDeliveryJob): Promise<string> {
    const d = await this.repos.webhookDeliveries.findById(job.deliveryId);
    // Stale or repeated jobs: the step's record is the truth. One step behind means the previous attempt was
    // queued but not recorded (a crash between the two): this attempt goes on from there.
    if (!d || d.status !== 'pending' || d.round !== job.round) return 'not pending';
    if (d.scheduled !== job.step && d.scheduled !== job.step - 1) return 'stale step';
    const endpoint = await this.repos.webhookEndpoints.findById(d.endpointId);
    if (!endpoint) {
      await this.repos.webhookDeliveries.close(d._id, 'endpoint deleted');
      return 'endpoint deleted';
    }
    if (endpoint.disabledAt) {
      await this.repos.webhookDeliveries.close(d._id, 'endpoint disabled');
      return 'endpoint disabled';
    }
    const busy = this.inFlight.get(endpoint._id) ?? 0;
    if (busy >= this.config.WEBHOOK_ENDPOINT_CONCURRENCY) {
      // Parked for a moment, not attempted: the slots stay free for other endpoints.
      await queueAttempt(
        this.queues,
        [d._id],
        job.round,
        job.step,
        1000 + Math.round(Math.random() * 2000),
        `-w${Date.now()}`,
      );
      return 'endpoint busy; parked';
    }
    this.inFlight.set(endpoint._id, busy + 1);
    try {
      return await this.send(d, endpoint, job);
    } finally {
      const left = (this.inFlight.get(endpoint._id) ?? 1) - 1;
      if (left > 0) this.inFlight.set(endpoint._id, left);
      else this.inFlight.delete(endpoint._id);
    }
  }

  private async send(d: WebhookDeliveryDoc, endpoint: WebhookEndpointDoc, job: WebhookDeliveryJob): Promise<string> {
    const now = new Date();
    const dataKey = this.config.DATA_KEY;
    // An endpoint saved before secrets were sealed is sealed now, on its first delivery (read both until then).
    if (endpoint.secrets.some((s) => isPlainWebhookSecret(s.secret)))
      await this.repos.webhookEndpoints.sealPlain((plain) => sealWebhookSecret(plain, dataKey), endpoint._id);
    const keys = endpoint.secrets
      .filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime())
      .map((s) => openWebhookSecret(s.secret, dataKey))
      .filter((s) => s !== null)
      .map((s) => webhookSecretKey(s));
    if (keys.length === 0) {
      // Sealed under another DATA_KEY: nothing can sign it; the brand rotates the secret to go on.
      this.logger.error({ endpointId: endpoint._id }, 'webhook endpoint secret cannot be opened with DATA_KEY');
      await this.repos.webhookDeliveries.close(d._id, 'endpoint secret cannot be opened: rotate the secret');
      return 'secret cannot be opened';
    }
    const headers = { ...standardWebhookHeaders(d.messageId, d.body, keys, now), 'user-agent': 'Seedline-Webhooks/1' };
    const out = await guardedPost(endpoint.url, headers, d.body, {
      policy: this.policy,
      timeoutMs: this.config.WEBHOOK_DELIVERY_TIMEOUT_MS,
    });
    const attempt = {
      at: now,
      status: out.status,
      durationMs: out.durationMs,
      response: out.response,
      error: out.error,
    };
    const verdict = attemptVerdict(out.status);
    const step = d.scheduled;
    if (verdict === 'delivered') {
      await this.repos.webhookDeliveries.recordAttempt(d._id, job.round, step, attempt, {
        status: 'succeeded',
        nextAttemptAt: null,
      });
      await this.repos.webhookEndpoints.succeeded(endpoint._id);
      return `delivered (HTTP ${out.status})`;
    }
    if (verdict === 'gone') {
      await this.repos.webhookDeliveries.recordAttempt(d._id, job.round, step, attempt, {
        status: 'failed',
        nextAttemptAt: null,
      });
      if (await this.repos.webhookEndpoints.disable(endpoint._id, 'gone', now)) await this.onDisabled(endpoint, 'gone');
      return 'HTTP 410: endpoint disabled';
    }
    const failing = await this.repos.webhookEndpoints.failed(endpoint._id, now);
    const since = failing?.failingSince?.getTime() ?? now.getTime();
    if (now.getTime() - since >= this.config.WEBHOOK_DISABLE_AFTER_SECONDS * 1000) {
      if (await this.repos.webhookEndpoints.disable(endpoint._id, 'failing', now)) {
        this.logger.warn(
          { endpointId: endpoint._id, brandId: endpoint.brandId },
          'webhook endpoint disabled after failing',
        );
        await this.onDisabled(endpoint, 'failing');
      }
    }
    const retryAfter = out.status === 429 || out.status === 503 ? out.retryAfterMs : null;
    const delay = nextAttemptDelayMs(this.config.WEBHOOK_RETRY_SCHEDULE, step + 1, retryAfter);
    const reason = out.status === null ? (out.error ?? 'no answer') : `HTTP ${out.status}`;
    if (delay === null) {
      await this.repos.webhookDeliveries.recordAttempt(d._id, job.round, step, attempt, {
        status: 'failed',
        nextAttemptAt: null,
      });
      return `${reason}; schedule exhausted`;
    }
    // The next attempt is queued before this one is recorded: a crash in between leaves a job that goes on.
    await queueAttempt(this.queues, [d._id], job.round, step + 1, delay);
    await this.repos.webhookDeliveries.recordAttempt(d._id, job.round, step, attempt, {
      status: 'pending',
      nextAttemptAt: new Date(now.getTime() + delay),
    });
    return `${reason}; next attempt in ${delay} ms`;
  }
}
