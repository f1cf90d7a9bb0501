import type { DeliveryStatus, WebhookDeliveryDoc, WebhookEndpointDoc, WebhookRepositories } from '@seedline/db';
import {
  attemptVerdict,
  isPlainWebhookSecret,
  nextAttemptDelayMs,
  openWebhookSecret,
  sealWebhookSecret,
  standardWebhookHeaders,
  webhookSecretKey,
  type WebhookAttemptRef,
  type WebhookDeliveryJob,
} from '@seedline/domain';
import {
  EndpointAgents,
  WriteBatcher,
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
import { EndpointSlots } from './endpoint-slots.js';

type DelivererConfig = Pick<
  WorkerConfig,
  | 'WEBHOOK_RETRY_SCHEDULE'
  | 'WEBHOOK_DISABLE_AFTER_SECONDS'
  | 'WEBHOOK_DELIVERY_TIMEOUT_MS'
  | 'WEBHOOK_ENDPOINT_CONCURRENCY'
  | 'DATA_KEY'
>;

/** An attempt's retry to queue: the delay its schedule (and Retry-After) asks for. */
interface Retry {
  ref: WebhookAttemptRef;
  delayMs: number;
  /** the receiver's Retry-After set the delay: the retry waits in a job of its endpoint's own */
  asked: boolean;
}

/**
 * How long retries and attempt records wait for others before they are written: a failing endpoint's attempts
 * end a few at a time as its slots free, and gathered they cost one job and one bulk write, not one per answer.
 * Their slots are free meanwhile (released once the answer is in).
 */
const GATHER_MS = 250;

/** What the attempts of one job to one endpoint share: the endpoint as read once, its signing keys. */
interface EndpointTurn {
  endpoint: WebhookEndpointDoc;
  keys: Array<ReturnType<typeof webhookSecretKey>>;
  /** the endpoint's run of failures once one attempt of the job started or read it: the others only read it */
  failing?: Promise<WebhookEndpointDoc | null>;
}

/**
 * Attempts of deliveries to one or several endpoints, carried by one job. The receiver's answer decides each delivery's
 * next step here (2xx done, 410 disables, else the schedule's next attempt as a new delayed job, Retry-After honoured),
 * so a failing receiver never fails a job: BullMQ's own retries are left for our failures (the database down). The
 * job's deliveries are read in one query, go out over each endpoint's kept connections as its own slots allow, and
 * their retries and records are gathered with those of concurrent jobs (a few Redis and database writes for many
 * attempts).
 */
export class WebhookDeliverer {
  private readonly slots: EndpointSlots;
  private readonly store: DeliveryStore;
  /** kept connections per endpoint: an attempt to an endpoint that answered lately dials nothing */
  private readonly agents: EndpointAgents;
  /** retries of attempts that end together, queued as one job per round and step */
  private readonly retries: WriteBatcher<Retry, Map<string, number>>;

  constructor(
    private readonly repos: WebhookRepositories,
    private readonly queues: Queues,
    private readonly policy: OutboundPolicy,
    private readonly config: DelivererConfig,
    private readonly logger: Logger,
    private readonly onDisabled: (endpoint: WebhookEndpointDoc, reason: 'gone' | 'failing') => Promise<void>,
  ) {
    this.store = new DeliveryStore(repos, GATHER_MS);
    this.slots = new EndpointSlots(config.WEBHOOK_ENDPOINT_CONCURRENCY, Date.now, config.WEBHOOK_DELIVERY_TIMEOUT_MS);
    this.agents = new EndpointAgents(policy, { maxIdlePerEndpoint: config.WEBHOOK_ENDPOINT_CONCURRENCY });
    this.retries = new WriteBatcher((items) => this.queueRetries(items), {
      maxItems: 500,
      maxInFlight: 2,
      lingerMs: GATHER_MS,
    });
  }

  /** Closes the kept connections (at shutdown, after the workers stopped). */
  close(): void {
    this.agents.close();
  }

  async attempt(job: WebhookDeliveryJob): Promise<string> {
    const byEndpoint = new Map<string, WebhookAttemptRef[]>();
    for (const ref of job.attempts) {
      const endpointId = endpointOfDelivery(ref.deliveryId);
      byEndpoint.set(endpointId, [...(byEndpoint.get(endpointId) ?? []), ref]);
    }
    const outcomes = (await Promise.all([...byEndpoint].map(([id, refs]) => this.toEndpoint(id, refs)))).flat();
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
    return [...counts].map(([o, n]) => (n > 1 ? `${n}× ${o}` : o)).join('; ');
  }

  private async toEndpoint(endpointId: string, refs: WebhookAttemptRef[]): Promise<string[]> {
    // The endpoint's slots are looked at before anything is read: a busy endpoint's jobs cost no query.
    const parkMs = this.slots.parkFor(endpointId, refs.length);
    if (parkMs !== null) {
      // Parked, not attempted: this job does not wait long in front of other endpoints' jobs.
      for (const [round, step, ids] of byRoundAndStep(refs))
        await queueAttempt(this.queues, ids, round, step, parkMs, `-w${Date.now()}`);
      return refs.map(() => 'endpoint busy; parked');
    }
    const [deliveries, endpoint] = await Promise.all([
      Promise.all(refs.map((r) => this.store.delivery(r))),
      this.store.endpoint(endpointId),
    ]);
    const due: Array<{ d: WebhookDeliveryDoc; ref: WebhookAttemptRef }> = [];
    const outcomes: string[] = [];
    refs.forEach((ref, i) => {
      const d = deliveries[i];
      // Stale or repeated jobs: the step's record is the truth. One step behind means the previous attempt was
      // queued but not recorded (a crash between the two): this attempt goes on from there.
      if (!d || d.status !== 'pending' || d.round !== ref.round) outcomes.push('not pending');
      else if (d.scheduled !== ref.step && d.scheduled !== ref.step - 1) outcomes.push('stale step');
      else due.push({ d, ref });
    });
    if (due.length === 0) return outcomes;
    const closeAll = async (why: string) => {
      for (const { d } of due) await this.repos.webhookDeliveries.close(d, why);
      return [...outcomes, ...due.map(() => why)];
    };
    if (!endpoint) return closeAll('endpoint deleted');
    if (endpoint.disabledAt) return closeAll('endpoint disabled');
    const keys = await this.signingKeys(endpoint);
    if (keys.length === 0) {
      // Sealed under another DATA_KEY: nothing can sign it; the brand rotates the secret to go on.
      this.logger.error({ endpointId: endpoint._id }, 'webhook endpoint secret cannot be opened with DATA_KEY');
      return closeAll('endpoint secret cannot be opened: rotate the secret');
    }
    const turn: EndpointTurn = { endpoint, keys };
    const sent = await Promise.all(
      due.map(async ({ d, ref }) => {
        const slot = await this.slots.take(endpointId);
        let out: PostOutcome & { at: Date };
        try {
          out = await this.post(d, turn.endpoint, turn.keys, slot.unsent ?? null);
        } finally {
          slot.release?.();
        }
        return this.settle(d, turn, ref, out);
      }),
    );
    return [...outcomes, ...sent];
  }

  /** The endpoint's secrets that still sign, opened with DATA_KEY. */
  private async signingKeys(endpoint: WebhookEndpointDoc): Promise<EndpointTurn['keys']> {
    const now = Date.now();
    const dataKey = this.config.DATA_KEY;
    // An endpoint saved before secrets were sealed is sealed now, on its first delivery (read both until then).
    if (endpoint.secrets.some((s) => isPlainWebhookSecret(s.secret)))
      await this.repos.webhookEndpoints.sealPlain((plain) => sealWebhookSecret(plain, dataKey), endpoint._id);
    return endpoint.secrets
      .filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now)
      .map((s) => openWebhookSecret(s.secret, dataKey))
      .filter((s) => s !== null)
      .map((s) => webhookSecretKey(s));
  }

  /**
   * Queues the retries gathered: jobs per round and step (the endpoints together), due when the latest member's
   * schedule asked; a retry a receiver's Retry-After put off waits with its own endpoint's only.
   */
  private async queueRetries(items: Retry[]): Promise<Map<string, number>> {
    const groups = new Map<string, { ref: WebhookAttemptRef; ids: string[]; delayMs: number }>();
    for (const { ref, delayMs, asked } of items) {
      const key = `${ref.round} ${ref.step} ${asked ? endpointOfDelivery(ref.deliveryId) : ''}`;
      const g = groups.get(key) ?? { ref, ids: [], delayMs: 0 };
      g.ids.push(ref.deliveryId);
      // Never sooner than any member asked (its Retry-After included); ±10 % jitter makes the rest a bit later.
      g.delayMs = Math.max(g.delayMs, delayMs);
      groups.set(key, g);
    }
    const delays = new Map<string, number>();
    for (const g of groups.values()) {
      await queueAttempt(this.queues, g.ids, g.ref.round, g.ref.step, g.delayMs);
      for (const id of g.ids) delays.set(id, g.delayMs);
    }
    return delays;
  }

  /** The attempt (signed now); `unsent`: why no request goes out this time (a failed attempt), or null. */
  private async post(
    d: WebhookDeliveryDoc,
    endpoint: WebhookEndpointDoc,
    keys: EndpointTurn['keys'],
    unsent: string | null,
  ): Promise<PostOutcome & { at: Date }> {
    const at = new Date();
    if (unsent)
      return { at, status: null, durationMs: 0, response: '', error: unsent, retryAfterMs: null, refused: false };
    const out = await guardedPost(
      endpoint.url,
      { ...standardWebhookHeaders(d.messageId, d.body, keys, at), 'user-agent': 'Seedline-Webhooks/1' },
      d.body,
      {
        policy: this.policy,
        timeoutMs: this.config.WEBHOOK_DELIVERY_TIMEOUT_MS,
        agent: this.agents.for(endpoint._id, new URL(endpoint.url)),
      },
    );
    return { ...out, at };
  }

  /** Records the attempt and decides what follows: done, endpoint disabled, or the schedule's next attempt. */
  private async settle(
    d: WebhookDeliveryDoc,
    turn: EndpointTurn,
    ref: WebhookAttemptRef,
    out: PostOutcome & { at: Date },
  ): Promise<string> {
    const { endpoint } = turn;
    const now = out.at;
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
      this.store.recordAttempt({ id: d._id, round: ref.round, from: step, attempt, next: { status, nextAttemptAt } });
    if (verdict === 'delivered') {
      await record('succeeded');
      // The endpoint as read for this job: a healthy one (most attempts) costs no write here, a failing one one.
      if (endpoint.failingSince && !turn.failing) {
        turn.failing = Promise.resolve(null);
        await this.repos.webhookEndpoints.succeeded(endpoint._id);
      }
      return `delivered (HTTP ${out.status})`;
    }
    if (verdict === 'gone') {
      await record('failed');
      if (await this.repos.webhookEndpoints.disable(endpoint._id, 'gone', now)) await this.onDisabled(endpoint, 'gone');
      return 'HTTP 410: endpoint disabled';
    }
    // A run of failures already started is only read (every attempt of a dead endpoint would write it again),
    // and started once per job.
    turn.failing ??= endpoint.failingSince
      ? Promise.resolve(endpoint)
      : this.repos.webhookEndpoints.failed(endpoint._id, now);
    const failing = await turn.failing;
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
    const wanted = nextAttemptDelayMs(this.config.WEBHOOK_RETRY_SCHEDULE, step + 1, retryAfter);
    const reason = out.status === null ? (out.error ?? 'no answer') : `HTTP ${out.status}`;
    if (wanted === null) {
      await record('failed');
      return `${reason}; schedule exhausted`;
    }
    // The next attempt is queued before this one is recorded: a crash in between leaves a job that goes on.
    const next = { deliveryId: d._id, round: ref.round, step: step + 1 };
    const asked = retryAfter !== null && wanted === retryAfter;
    const delay = (await this.retries.add([{ ref: next, delayMs: wanted, asked }])).get(d._id) ?? wanted;
    await record('pending', new Date(now.getTime() + delay));
    return `${reason}; next attempt in ${delay} ms`;
  }
}

/** The attempts as [round, step, delivery ids] groups (a job's attempts normally share both). */
function byRoundAndStep(refs: WebhookAttemptRef[]): Array<[number, number, string[]]> {
  const groups = new Map<string, [number, number, string[]]>();
  for (const r of refs) {
    const key = `${r.round} ${r.step}`;
    const g = groups.get(key) ?? [r.round, r.step, []];
    g[2].push(r.deliveryId);
    groups.set(key, g);
  }
  return [...groups.values()];
}
