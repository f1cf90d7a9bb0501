import { Router } from 'express';
import { currentBrand } from '../auth/brand-auth.js';
import type { ApiDeps } from '../deps.js';
import { readReportUpload } from '../uploads/report-upload.js';

/**
 * Amazon returns reports, uploaded as downloaded. Nothing is stored from a rejected file (it is read whole
 * first); a matched influencer's reimbursement is returned and the handle blocked for the brand, in the
 * database and then in the Redis set the ingest's sign-ups read.
 */
export function returnsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/returns', async (req, res) => {
    const brand = currentBrand(req);
    const report = await readReportUpload(req, ['fba_returns', 'seller_returns']);
    await deps.repos.returns.settlePending(brand._id);
    const outcome = await deps.repos.returns.apply(brand._id, report.kind === 'all_orders' ? [] : report.returns);
    await deps.blocked.add(brand._id, outcome.blocked);
    res.json({
      report: report.kind,
      rows: outcome.rows,
      matched: outcome.matched,
      unmatched: outcome.unmatched,
      returned: outcome.returned,
      pendingPayouts: outcome.pending,
      blockedHandles: [...new Set(outcome.blocked)].sort(),
    });
  });
  return router;
}
