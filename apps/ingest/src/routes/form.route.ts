import { Router } from 'express';
import { verifyLinkToken } from '@seedline/domain';
import type { IngestDeps } from '../deps.js';
import { renderSubmitForm, SUBMIT_FORM_CSP } from '../views/submit-form.view.js';
import { findCampaign } from './availability.js';

export function formRouter(deps: IngestDeps): Router {
  const router = Router();
  router.get('/s/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const claims = verifyLinkToken(req.params.token, deps.links);
    const campaign = claims?.kind === 'submit' ? await findCampaign(deps, claims.campaignId) : null;
    if (!claims || !campaign) {
      res.status(404).type('html').send(renderSubmitForm(null));
      return;
    }
    // The page's inline script and style are ours; only they may run (pinned by hash).
    res.setHeader('Content-Security-Policy', SUBMIT_FORM_CSP);
    res.type('html').send(
      renderSubmitForm({
        token: req.params.token,
        campaignName: campaign.name,
        requirements: campaign.requirements,
        reimbursement: campaign.reimbursement ? { currency: campaign.reimbursement.currency } : null,
      }),
    );
  });
  return router;
}
