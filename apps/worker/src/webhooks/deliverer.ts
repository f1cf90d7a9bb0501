import type { DeliveryStatus, WebhookDeliveryDoc, WebhookEndpointDoc, WebhookRepositories } from '@seedline/db';
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
import {
  EndpointAgents,
  endpointOfDelivery,
  guardedPost,
  queueAttempt,
  type OutboundPolicy,
  type PostOutcome,
  type Queues,
} from '@seedline/runtime';
import type { Logger } from 'pino';
import type { WorkerConfig } from '../config.js';
import { DeliveryStore } from './delivery-store.js';

type DelivererConfig = Pick<
  WorkerConfig,
  | 'WEBHOOK_RETRY_SCHEDULE'
  | 'WEBHOOK_DISABLE_AFTER_SECONDS'
  | 'WEBHOOK_DELIVERY_TIMEOUT_MS'
  | 'WEBHOOK_ENDPOINT_CONCURRENCY'
  | 'DATA_KEY'
>;

/**
 * How long an endpoint's attempts may all wait for an answer before more are not sent to it. Below this the
 * endpoint is answering and a slot frees soon (a job parks 1–3 s); above it, it is hanging or far behind, and
 * parking every new delivery again and again would cost a job run per event every few seconds, without end.
 */
const UNANSWERED_MS = 2000;

/**
 * One attempt of one delivery. The receiver's answer decides the next step here (2xx done, 410 disables, else
 * the schedule's next attempt as a new delayed job, Retry-After honoured), so a failing receiver never fails
 * a job: BullMQ's own retries are left for our failures (the database down).
 */
export class WebhookDeliverer {
  /** start times of the attempts in flight per endpoint in this process: a hanging endpoint holds only these */
  private readonly inFlight = new Map<string, number[]>();
  private readonly store: DeliveryStore;
  /** kept connections per endpoint: an attempt to an endpoint that answered lately dials nothing */
  private readonly agents: EndpointAgents;

  constructor(
    private readonly repos: WebhookRepositories,
    private readonly queues: Queues,
    private readonly policy: OutboundPolicy,
    private readonly config: DelivererConfig,
    private readonly logger: Logger,
    private readonly onDisabled: (endpoint: WebhookEndpointDoc, reason: 'gone' | 'failing') => Promise<void>,
  ) {
    this.store = new DeliveryStore(repos);
    this.agents = new EndpointAgents(policy, { maxIdlePerEndpoint: config.WEBHOOK_ENDPOINT_CONCURRENCY });
  }

  /** Closes the kept connections (at shutdown, after the workers stopped). */
  close(): void {
    this.agents.close();
  }

  async attempt(job: WebhookDeliveryJob): Promise<string> {
    // The endpoint's slots are looked at before anything is read: a busy endpoint's jobs cost no query.
    const endpointId = endpointOfDelivery(job.deliveryId);
    const slots = this.inFlight.get(endpointId) ?? [];
    let unsent: string | null = null;
    if (slots.length >= this.config.WEBHOOK_ENDPOINT_CONCURRENCY) {
      const waitedMs = Date.now() - Math.min(...slots);
      if (waitedMs < UNANSWERED_MS) {
        // Parked for a moment, not attempted: the slots stay free for other endpoints.
        await queueAttempt(
          this.queues,
          [job.deliveryId],
          job.round,
          job.step,
          1000 + Math.round(Math.random() * 2000),
          `-w${Date.now()}`,
        );
        return 'endpoint busy; parked';
      }
      // A failed attempt without a request: the delivery goes on along the schedule, as if it had timed out.
      unsent = `not sent: the endpoint's ${slots.length} attempts in flight had no answer after ${Math.round(waitedMs / 1000)} s`;
    }
    const startedAt = Date.now();
    if (!unsent) this.inFlight.set(endpointId, [...slots, startedAt]);
    try {
      const d = await this.store.delivery(job.deliveryId);
      // Stale or repeated jobs: the step's record is the truth. One step behind means the previous attempt was
      // queued but not recorded (a crash between the two): this attempt goes on from there.
      if (!d || d.status !== 'pending' || d.round !== job.round) return 'not pending';
      if (d.scheduled !== job.step && d.scheduled !== job.step - 1) return 'stale step';
      const endpoint = await this.store.endpoint(d.endpointId);
      if (!endpoint) {
        await this.repos.webhookDeliveries.close(d._id, 'endpoint deleted');
        return 'endpoint deleted';
      }
      if (endpoint.disabledAt) {
        await this.repos.webhookDeliveries.close(d._id, 'endpoint disabled');
        return 'endpoint disabled';
      }
      return await this.send(d, endpoint, job, unsent);
    } finally {
      if (!unsent) {
        const left = (this.inFlight.get(endpointId) ?? []).filter((t, i, all) => i !== all.indexOf(startedAt));
        if (left.length > 0) this.inFlight.set(endpointId, left);
        else this.inFlight.delete(endpointId);
      }
    }
  }

  /** `unsent`: why no request goes out this time (recorded as a failed attempt), or null to send it. */
  private async send(
    d: WebhookDeliveryDoc,
    endpoint: WebhookEndpointDoc,
    job: WebhookDeliveryJob,
    unsent: string | null,
  ): Promise<string> {
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
    const out: PostOutcome = unsent
      ? { status: null, durationMs: 0, response: '', error: unsent, retryAfterMs: null, refused: false }
      : await guardedPost(
          endpoint.url,
          { ...standardWebhookHeaders(d.messageId, d.body, keys, now), 'user-agent': 'Seedline-Webhooks/1' },
          d.body,
          {
            policy: this.policy,
            timeoutMs: this.config.WEBHOOK_DELIVERY_TIMEOUT_MS,
            agent: this.agents.for(endpoint._id, new URL(endpoint.url)),
          },
        );
    const attempt = {
      at: now,
      status: out.status,
      durationMs: out.durationMs,
      response: out.response,
      error: out.error,
    };
    const verdict = attemptVerdict(out.status);
    const step = d.scheduled;
    const record = (status: DeliveryStatus, nextAttemptAt: Date | null = null) =>
      this.store.recordAttempt({ id: d._id, round: job.round, from: step, attempt, next: { status, nextAttemptAt } });
    if (verdict === 'delivered') {
      await record('succeeded');
      // The endpoint as read for this attempt: a healthy one (most attempts) costs no write here.
      if (endpoint.failingSince) await this.repos.webhookEndpoints.succeeded(endpoint._id);
      return `delivered (HTTP ${out.status})`;
    }
    if (verdict === 'gone') {
      await record('failed');
      if (await this.repos.webhookEndpoints.disable(endpoint._id, 'gone', now)) await this.onDisabled(endpoint, 'gone');
      return 'HTTP 410: endpoint disabled';
    }
    // A run of failures already started is only read (every attempt of a dead endpoint would write it again).
    const failing = endpoint.failingSince ? endpoint : await this.repos.webhookEndpoints.failed(endpoint._id, now);
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
      await record('failed');
      return `${reason}; schedule exhausted`;
    }
    // The next attempt is queued before this one is recorded: a crash in between leaves a job that goes on.
    await queueAttempt(this.queues, [d._id], job.round, step + 1, delay);
    await record('pending', new Date(now.getTime() + delay));
    return `${reason}; next attempt in ${delay} ms`;
  }
}
