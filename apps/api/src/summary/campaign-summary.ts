import type { Repositories } from '@seedline/db';
import { compareAttribution, type summaryResponse } from '@seedline/domain';
import type { z } from 'zod';

export type CampaignSummary = z.infer<typeof summaryResponse>;

/** Stage counts share the list's filter, so the summary always equals what the list (and the CSV) shows. */
export async function campaignSummary(repos: Pick<Repositories, 'influencerQueries' | 'attribution'>, campaignId: string): Promise<CampaignSummary> {
  const [counts, rows] = await Promise.all([repos.influencerQueries.stageCounts(campaignId), repos.attribution.rowsFor(campaignId)]);
  return {
    campaignId,
    total: counts.total,
    stages: counts.stages,
    estimatedPurchases: counts.estimatedPurchases,
    attribution: compareAttribution(rows, counts.estimatedPurchases),
    asOf: new Date().toISOString(),
  };
}
