import { Router } from 'express';
import type { ApiDeps } from '../deps.js';
import { scopedCampaign } from './campaign-scope.js';

export function summaryRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/campaigns/:id/summary', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    res.json(await deps.summaries(campaign._id));
  });
  return router;
}
