import { Router } from 'express';
import { compareAttribution } from '@seedline/domain';
import type { ApiDeps } from '../app.js';
import { scopedCampaign } from './campaign-scope.js';

export async function campaignSummary(deps: ApiDeps, campaignId: string) {
  const [counts, rows] = await Promise.all([
    deps.repos.influencerQueries.stageCounts(campaignId),
    deps.repos.attribution.rowsFor(campaignId),
  ]);
  return {
    campaignId,
    total: counts.total,
    stages: counts.stages,
    estimatedPurchases: counts.estimatedPurchases,
    attribution: compareAttribution(rows, counts.estimatedPurchases),
    asOf: new Date().toISOString(),
  };
}

export function summaryRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/campaigns/:id/summary', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    res.json(await campaignSummary(deps, campaign._id));
  });
  return router;
}
