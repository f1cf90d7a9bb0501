import { Router } from 'express';
import { queueMoneyFollowUps } from '@seedline/runtime';
import { currentBrand } from '../auth/brand-auth.js';
import type { ApiDeps } from '../deps.js';
import { readReportUpload } from '../uploads/report-upload.js';

/** The brand's Amazon all-orders report, uploaded as downloaded: proofs of purchase are checked against it. */
export function ordersRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/orders', async (req, res) => {
    const brand = currentBrand(req);
    const report = await readReportUpload(req, ['all_orders']);
    const { outcome, moves } = await deps.repos.applyOrders(
      brand._id,
      report.kind === 'all_orders' ? report.orders : [],
    );
    // An approval by the match is sent now, and the influencer told, like any other approval (not at the next
    // payout sweep).
    await queueMoneyFollowUps(deps.queues, moves);
    res.json({ report: report.kind, ...outcome });
  });
  return router;
}
