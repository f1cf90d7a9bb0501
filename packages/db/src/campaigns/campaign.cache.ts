import type { TagUrls } from '../attribution/attribution-tag.repository.js';
import type { CampaignDoc } from './campaign.schema.js';
import type { CampaignRepository } from './campaign.repository.js';

export type CampaignTarget = Pick<
  CampaignDoc,
  '_id' | 'brandId' | 'productUrl' | 'reviewUrl' | 'requirements' | 'reminders' | 'name' | 'state' | 'reimbursement'
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
 * Campaign targets kept in memory so a redirect costs no database round trip. A change announced by the API
 * (`invalidate`) makes the next request reload; the TTL is the fallback for an announcement that was missed.
 * When the database cannot be reached, a stale entry keeps serving redirects.
 */
export class CampaignCache {
  /** `seq`: the invalidation count when the entry's read began */
  private entries = new Map<string, { value: CampaignTarget | null; at: number; seq: number }>();
  private inflight = new Map<string, Promise<CampaignTarget | null>>();
  /** invalidations are numbered, so a load that began before one never stores its older read as fresh */
  private seq = 0;
  private invalidatedAt = new Map<string, number>();
  private allInvalidatedAt = 0;

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

  /** The campaign changed: the next request reads it again (the old entry stays as the fallback). */
  invalidate(id: string): void {
    this.invalidatedAt.set(id, ++this.seq);
    this.inflight.delete(id);
    const hit = this.entries.get(id);
    if (hit) hit.at = -Infinity;
  }

  /** Any campaign may have changed (announcements were missed). */
  invalidateAll(): void {
    this.allInvalidatedAt = ++this.seq;
    this.inflight.clear();
    for (const hit of this.entries.values()) hit.at = -Infinity;
  }

  async get(id: string): Promise<CampaignTarget | null> {
    const hit = this.entries.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    let pending = this.inflight.get(id);
    if (!pending) {
      const mine = this.load(id, hit?.value).finally(() => {
        if (this.inflight.get(id) === mine) this.inflight.delete(id);
      });
      pending = mine;
      this.inflight.set(id, pending);
    }
    return pending;
  }

  private async load(id: string, stale: CampaignTarget | null | undefined): Promise<CampaignTarget | null> {
    const started = this.seq;
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
            reimbursement: doc.reimbursement ?? null,
            ...(tagUrls ? { tagUrls } : {}),
          })
        : null;
      if (this.entries.size > 50_000 || this.invalidatedAt.size > 50_000) {
        this.entries.clear();
        this.invalidatedAt.clear();
      }
      const changedSince = Math.max(this.invalidatedAt.get(id) ?? 0, this.allInvalidatedAt) > started;
      // A read that began before a change is kept only as the stale fallback (the next request reads again),
      // and never over a read that began later.
      const newer = this.entries.get(id);
      if (!newer || newer.seq <= started) {
        this.entries.set(id, { value, at: changedSince ? -Infinity : Date.now(), seq: started });
      }
      return value;
    } catch (err) {
      if (stale) return stale;
      throw err;
    }
  }
}
