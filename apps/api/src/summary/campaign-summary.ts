import type { Repositories } from '@seedline/db';
import { withEstimate, type summaryResponse } from '@seedline/domain';
import type { z } from 'zod';
import { reimbursementSummary } from './reimbursement-summary.js';

export type CampaignSummary = z.infer<typeof summaryResponse>;
type SummaryRepos = Pick<Repositories, 'influencerQueries' | 'attribution' | 'reimbursements' | 'instagram'>;

/**
 * Stage counts come from the counters maintained with every status move (they count the same influencers as
 * the list's filter), so the summary equals what the list and the CSV show; the recount checks it. Attribution
 * totals are summed when a report is stored, so a summary's cost does not grow with the rows uploaded.
 */
export async function campaignSummary(repos: SummaryRepos, campaignId: string): Promise<CampaignSummary> {
  const asOf = new Date().toISOString();
  const [counts, attribution, money, postsRemoved] = await Promise.all([
    repos.influencerQueries.stageCounts(campaignId),
    repos.attribution.totalsFor(campaignId),
    reimbursementSummary(repos, campaignId),
    repos.instagram.removedCount(campaignId),
  ]);
  return {
    campaignId,
    total: counts.total,
    stages: counts.stages,
    estimatedPurchases: counts.estimatedPurchases,
    attribution: withEstimate(attribution, counts.estimatedPurchases),
    ...money,
    postsRemoved,
    asOf,
  };
}

/**
 * Requests for the same campaign's summary that arrive while one is being computed share that computation
 * (its `asOf` says when it started). A summary reads a few counter documents whatever the campaign's size;
 * sharing still keeps a dashboard crowd from multiplying even that.
 */
export function sharedSummaries(repos: SummaryRepos): (campaignId: string) => Promise<CampaignSummary> {
  const inFlight = new Map<string, Promise<CampaignSummary>>();
  return (campaignId) => {
    let pending = inFlight.get(campaignId);
    if (!pending) {
      pending = campaignSummary(repos, campaignId).finally(() => inFlight.delete(campaignId));
      inFlight.set(campaignId, pending);
    }
    return pending;
  };
}
