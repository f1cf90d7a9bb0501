import {
  reimbursementUpdatedDraft,
  WEBHOOK_EVENTS_PER_JOB,
  type ReimbursementMove,
  type WebhookEventDraft,
} from '@seedline/domain';
import type { Queues } from '../queues.js';
import { WriteBatcher } from '../write-batcher.js';

const HAS_ENDPOINTS_TTL_MS = 2000;

/**
 * Where events become webhooks, in the api and in the worker alike: drafts of the brands that have endpoints go,
 * as one job with those emitted in the same tick, to the `webhook-events` queue; the fan-out (the worker)
 * numbers them and records a delivery per subscribed endpoint. A source pays at most one Redis round trip, and nothing for brands without endpoints
 * (remembered for 2 s; the api forgets a brand when it saves an endpoint).
 */
export class WebhookEvents {
  private readonly known = new Map<string, { has: boolean; at: number }>();
  /** the drafts of sources that emit in the same tick (or while a job is being added) go in one job */
  private readonly jobs: WriteBatcher<WebhookEventDraft, void>;

  constructor(
    private readonly countEndpoints: (brandId: string) => Promise<number>,
    protected readonly queues: Queues,
  ) {
    this.jobs = new WriteBatcher((drafts) => this.queue(drafts), { maxItems: WEBHOOK_EVENTS_PER_JOB, maxInFlight: 2 });
  }

  /** Drafts whose brand is known: queued if the brand has endpoints. */
  async emit(drafts: readonly WebhookEventDraft[]): Promise<void> {
    const wanted: WebhookEventDraft[] = [];
    for (const d of drafts) if (await this.hasEndpoints(d.brandId)) wanted.push(d);
    if (wanted.length === 0) return;
    await this.jobs.add(wanted);
  }

  /** One job per WEBHOOK_EVENTS_PER_JOB drafts, added together; resolves once Redis has them (the caller's ack). */
  private async queue(drafts: WebhookEventDraft[]): Promise<void> {
    const jobs = [];
    for (let i = 0; i < drafts.length; i += WEBHOOK_EVENTS_PER_JOB)
      jobs.push({ name: 'events', data: { events: drafts.slice(i, i + WEBHOOK_EVENTS_PER_JOB) } });
    // No job id: a repeated fan-out is harmless (message and delivery ids are fixed), a collision would not be.
    await this.queues['webhook-events'].addBulk(jobs);
  }

  /** A reimbursement's move (its ledger entry); the handle is looked up only for brands with endpoints. */
  async reimbursementMoved(move: ReimbursementMove, handleOf: () => Promise<string | null>): Promise<void> {
    if (!(await this.hasEndpoints(move.brandId))) return;
    await this.emit([reimbursementUpdatedDraft(move, await handleOf())]);
  }

  async hasEndpoints(brandId: string): Promise<boolean> {
    const hit = this.known.get(brandId);
    if (hit && Date.now() - hit.at < HAS_ENDPOINTS_TTL_MS) return hit.has;
    const has = (await this.countEndpoints(brandId)) > 0;
    if (this.known.size > 10_000) this.known.clear();
    this.known.set(brandId, { has, at: Date.now() });
    return has;
  }

  /** After a brand saved or removed an endpoint: asked again next time. */
  forget(brandId: string): void {
    this.known.delete(brandId);
  }
}
