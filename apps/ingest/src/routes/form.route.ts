import { Router } from 'express';
import { verifyLinkToken } from '@seedline/domain';
import type { IngestDeps } from '../app.js';
import { renderSubmitForm } from '../views/submit-form.view.js';
import { findCampaign } from './campaign-lookup.js';

export function formRouter(deps: IngestDeps): Router {
  const router = Router();
  router.get('/s/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const claims = verifyLinkToken(req.params.token, deps.config.LINK_SECRET);
    const campaign = claims?.kind === 'submit' ? await findCampaign(deps, claims.campaignId) : null;
    if (!claims || !campaign) {
      res.status(404).type('html').send(renderSubmitForm(null));
      return;
    }
    // The page's inline script and style are ours; allow only those.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; base-uri 'none'",
    );
    res.type('html').send(renderSubmitForm({ token: req.params.token, campaignName: campaign.name, requirements: campaign.requirements }));
  });
  return router;
}
