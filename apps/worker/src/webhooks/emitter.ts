import type { CampaignCache, Repositories, StatusChange } from '@seedline/db';
import { webhookMessageIdFor, type WebhookEventDraft } from '@seedline/domain';
import { WebhookEvents, type Queues } from '@seedline/runtime';

/**
 * The worker's sources of brand webhooks (runtime's WebhookEvents queues them): status changes here, and the
 * facts its processors record (sign-ups, rejected submissions, reminders, reimbursement moves), each built by
 * its draft builder in the domain from the brand of its campaign.
 */
export class WebhookEmitter extends WebhookEvents {
  constructor(
    repos: Repositories,
    private readonly campaigns: CampaignCache,
    queues: Queues,
  ) {
    super((brandId) => repos.webhookEndpoints.countFor(brandId), queues);
  }

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

  /**
   * A fact of one of the campaign's influencers: `build` runs only when the campaign's brand has endpoints
   * (it may read what the draft needs).
   */
  async forCampaign(campaignId: string, build: (brandId: string) => WebhookEventDraft | Promise<WebhookEventDraft>) {
    const brandId = await this.brandWithEndpoints(campaignId);
    if (brandId) await this.emit([await build(brandId)]);
  }

  /** The campaign's brand when that brand has endpoints, else null. */
  async brandWithEndpoints(campaignId: string): Promise<string | null> {
    const campaign = await this.campaigns.get(campaignId);
    if (!campaign) return null;
    return (await this.hasEndpoints(campaign.brandId)) ? campaign.brandId : null;
  }
}
