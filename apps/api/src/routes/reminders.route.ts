import { Router } from 'express';
import { reminderPreviewQuery } from '@seedline/domain';
import { parse } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { currentBrand } from '../auth/brand-auth.js';
import { renderReminderPreview } from '../reminders/reminder-preview.js';
import { scopedCampaign } from './campaign-scope.js';

export function remindersRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/campaigns/:id/reminders/preview', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const { stage } = parse(reminderPreviewQuery, req.query, 'query');
    res.setHeader('Cache-Control', 'no-store');
    res.json(
      renderReminderPreview({
        campaign,
        brandName: currentBrand(req).name,
        stage,
        from: deps.config.REMINDER_FROM,
        ingestUrl: deps.config.PUBLIC_INGEST_URL,
      }),
    );
  });
  return router;
}
