import type { CampaignCache, Repositories, StatusChange } from '@seedline/db';
import { webhookMessageIdFor, type WebhookEventDraft } from '@seedline/domain';
import type { Queues } from '@seedline/runtime';

const HAS_ENDPOINTS_TTL_MS = 2000;

/**
 * The one place events become webhooks: drafts of the brands that have endpoints go, as one job, to the
 * `webhook-events` queue; the fan-out (its own queue) does the rest, so a status update pays at most one
 * Redis round trip, and nothing at all for brands without endpoints (remembered for 2 s).
 */
export class WebhookEmitter {
  private readonly known = new Map<string, { has: boolean; at: number }>();

  constructor(
    private readonly repos: Repositories,
    private readonly campaigns: CampaignCache,
    private readonly queues: Queues,
  ) {}

  async statusChanges(changes: StatusChange[]): Promise<void> {
    const drafts: WebhookEventDraft[] = [];
    for (const c of changes) {
      const brandId = await this.brandWithEndpoints(c.campaignId);
      if (!brandId) continue;
      drafts.push({
        // The status entry's id is fixed per influencer and status: a rebuilt change gets the same webhook-id.
        id: webhookMessageIdFor('status', c.influencerId, c.to),
        type: 'influencer.status_changed',
        brandId,
        occurredAt: c.at.toISOString(),
        data: {
          influencerId: c.influencerId,
          campaignId: c.campaignId,
          instagramHandle: c.instagramHandle,
          from: c.from,
          to: c.to,
          at: c.at.toISOString(),
          source: c.source ?? 'status model',
        },
      });
    }
    await this.emit(drafts);
  }

  /** Drafts whose brand is given already (reminders, uploads): sent if the brand has endpoints. */
  async emit(drafts: WebhookEventDraft[]): Promise<void> {
    const wanted: WebhookEventDraft[] = [];
    for (const d of drafts) if (await this.hasEndpoints(d.brandId)) wanted.push(d);
    if (wanted.length === 0) return;
    // No job id: a repeated fan-out is harmless (message and delivery ids are fixed), a collision would not be.
    await this.queues['webhook-events'].add('events', { events: wanted });
  }

  /** The campaign's brand when that brand has endpoints, else null. */
  async brandWithEndpoints(campaignId: string): Promise<string | null> {
    const campaign = await this.campaigns.get(campaignId);
    if (!campaign) return null;
    return (await this.hasEndpoints(campaign.brandId)) ? campaign.brandId : null;
  }

  private async hasEndpoints(brandId: string): Promise<boolean> {
    const hit = this.known.get(brandId);
    if (hit && Date.now() - hit.at < HAS_ENDPOINTS_TTL_MS) return hit.has;
    const has = (await this.repos.webhookEndpoints.countFor(brandId)) > 0;
    this.known.set(brandId, { has, at: Date.now() });
    return has;
  }
}
