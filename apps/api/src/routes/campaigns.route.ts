import { Router } from 'express';
import { campaignCreateRequest, campaignUpdateRequest } from '@seedline/domain';
import { HttpError, jsonBody, notFound, parse, requireJson } from '@seedline/http';
import { announceCampaignChange } from '@seedline/runtime';
import type { ApiDeps } from '../deps.js';
import { approveWaitingForBudget, budgetRaised } from '../money/budget-raise.js';
import { currentBrand } from '../auth/brand-auth.js';
import { presentCampaign } from '../presenters/campaign.presenter.js';
import { scopedCampaign } from './campaign-scope.js';
import { redirectTargetCheck } from './redirect-targets.js';

export function campaignsRouter(deps: ApiDeps): Router {
  const router = Router();
  const checkTargets = redirectTargetCheck(deps.config.ALLOWED_REDIRECT_HOSTS);
  router.post('/v1/campaigns', requireJson(), jsonBody('256kb'), async (req, res) => {
    const body = checkTargets(parse(campaignCreateRequest, req.body, 'body'));
    const campaign = await deps.repos.campaigns.create(currentBrand(req)._id, body);
    // An ingest that looked this id up before it existed cached "no such campaign".
    await announceCampaignChange(deps.redis, deps.config.QUEUE_PREFIX, campaign._id, deps.logger);
    res.status(201).location(`/v1/campaigns/${campaign._id}`).json(presentCampaign(campaign));
  });
  router.get('/v1/campaigns', async (req, res) => {
    const campaigns = await deps.repos.campaigns.listForBrand(currentBrand(req)._id);
    res.json({ items: campaigns.map(presentCampaign) });
  });
  router.get('/v1/campaigns/:id', async (req, res) => {
    res.json(presentCampaign(await scopedCampaign(deps, req)));
  });
  router.patch('/v1/campaigns/:id', requireJson(), jsonBody('256kb'), async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const body = checkTargets(parse(campaignUpdateRequest, req.body, 'body'));
    // Amounts already owed, approved and budgeted are in the first currency: it stays.
    const currency = campaign.reimbursement?.currency;
    if (currency && body.reimbursement && body.reimbursement.currency !== currency) {
      const message = `cannot change once set (the campaign reimburses in ${currency})`;
      throw new HttpError(400, 'invalid_request', `body.reimbursement.currency: ${message}`, [
        { path: 'body.reimbursement.currency', message },
      ]);
    }
    const updated = await deps.repos.campaigns.update(campaign.brandId, campaign._id, body);
    if (!updated) throw notFound('campaign');
    await announceCampaignChange(deps.redis, deps.config.QUEUE_PREFIX, updated._id, deps.logger);
    if (budgetRaised(campaign.reimbursement ?? null, updated.reimbursement ?? null)) {
      const retried = await approveWaitingForBudget(deps, updated._id);
      if (retried.approved)
        deps.logger.info({ campaignId: updated._id, ...retried }, 'budget raised: waiting approvals retried');
    }
    res.json(presentCampaign(updated));
  });
  return router;
}
