import { reimbursementUpdatedDraft, type ReimbursementMove, type WebhookEventDraft } from '@seedline/domain';
import type { Queues } from '../queues.js';

const HAS_ENDPOINTS_TTL_MS = 2000;

/**
 * Where events become webhooks, in the api and in the worker alike: drafts of the brands that have endpoints go,
 * as one job, to the `webhook-events` queue; the fan-out (the worker) numbers them and records a delivery per
 * subscribed endpoint. A source pays at most one Redis round trip, and nothing for brands without endpoints
 * (remembered for 2 s; the api forgets a brand when it saves an endpoint).
 */
export class WebhookEvents {
  private readonly known = new Map<string, { has: boolean; at: number }>();

  constructor(
    private readonly countEndpoints: (brandId: string) => Promise<number>,
    protected readonly queues: Queues,
  ) {}

  /** Drafts whose brand is known: queued if the brand has endpoints. */
  async emit(drafts: readonly WebhookEventDraft[]): Promise<void> {
    const wanted: WebhookEventDraft[] = [];
    for (const d of drafts) if (await this.hasEndpoints(d.brandId)) wanted.push(d);
    if (wanted.length === 0) return;
    // No job id: a repeated fan-out is harmless (message and delivery ids are fixed), a collision would not be.
    await this.queues['webhook-events'].add('events', { events: wanted });
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
