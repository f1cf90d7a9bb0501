import type { TagUrls } from '../attribution/attribution-tag.repository.js';
import type { CampaignDoc } from './campaign.schema.js';
import type { CampaignRepository } from './campaign.repository.js';

export type CampaignTarget = Pick<
  CampaignDoc,
  '_id' | 'brandId' | 'productUrl' | 'reviewUrl' | 'requirements' | 'reminders' | 'name' | 'state'
> & {
  /** influencers' own Amazon Attribution tags by influencer id: their purchase links lead there */
  tagUrls?: TagUrls;
  /** stored targets the redirect allow-list now refuses: their links answer 410 instead of redirecting */
  refused?: { productUrl?: boolean; reviewUrl?: boolean };
};
/** Decides once per load what a redirect must not do (e.g. which stored targets are refused). */
export type TargetVet = (target: CampaignTarget) => CampaignTarget;
/** Reads a campaign's tag URLs, handing back `previous` when they have not changed since. */
export type TagUrlLoader = (campaignId: string, previous?: TagUrls) => Promise<TagUrls | undefined>;

/**
 * Campaign targets kept in memory for a short TTL so a redirect costs no database round trip. When the
 * database cannot be reached, a stale entry keeps serving redirects.
 */
export class CampaignCache {
  private entries = new Map<string, { value: CampaignTarget | null; at: number }>();
  private inflight = new Map<string, Promise<CampaignTarget | null>>();

  constructor(
    private readonly campaigns: Pick<CampaignRepository, 'findById'>,
    private readonly ttlMs: number,
    private readonly tagUrls?: TagUrlLoader,
    private readonly vet: TargetVet = (target) => target,
  ) {}

  /** The fresh entry, without waiting for anything (`undefined`: not cached, or stale — ask `get`). */
  peek(id: string): CampaignTarget | null | undefined {
    const hit = this.entries.get(id);
    return hit && Date.now() - hit.at < this.ttlMs ? hit.value : undefined;
  }

  async get(id: string): Promise<CampaignTarget | null> {
    const hit = this.entries.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = this.load(id, hit?.value).finally(() => this.inflight.delete(id));
      this.inflight.set(id, pending);
    }
    return pending;
  }

  private async load(id: string, stale: CampaignTarget | null | undefined): Promise<CampaignTarget | null> {
    try {
      const [doc, tagUrls] = await Promise.all([this.campaigns.findById(id), this.tagUrls?.(id, stale?.tagUrls)]);
      const value: CampaignTarget | null = doc
        ? this.vet({
            _id: doc._id,
            brandId: doc.brandId,
            productUrl: doc.productUrl,
            reviewUrl: doc.reviewUrl,
            requirements: doc.requirements,
            reminders: doc.reminders,
            name: doc.name,
            state: doc.state,
            ...(tagUrls ? { tagUrls } : {}),
          })
        : null;
      if (this.entries.size > 50_000) this.entries.clear();
      this.entries.set(id, { value, at: Date.now() });
      return value;
    } catch (err) {
      if (stale) return stale;
      throw err;
    }
  }
}
