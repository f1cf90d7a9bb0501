import { Router, type Request } from 'express';
import type { ActionOutcome, CampaignDoc } from '@seedline/db';
import {
  formatMoney,
  objectId,
  reimbursementBulkApproveRequest,
  reimbursementListQuery,
  reimbursementPaidRequest,
  reimbursementRejectRequest,
} from '@seedline/domain';
import { badCursor, HttpError, jsonBody, notFound, parse, requireJson } from '@seedline/http';
import { queueMoneyFollowUps } from '@seedline/runtime';
import type { ApiDeps } from '../deps.js';
import { currentBrand } from '../auth/brand-auth.js';
import { presentReimbursement } from '../presenters/reimbursement.presenter.js';
import { scopedCampaign } from './campaign-scope.js';
import { payoutsCsv } from './payouts-csv.js';

/** The reimbursement id in the path, checked against the campaign (another brand's is a 404 like a missing one). */
function reimbursementId(req: Request): string {
  const rid = String(req.params.rid ?? '');
  if (!objectId.safeParse(rid).success) throw notFound('reimbursement');
  return rid;
}

/**
 * The brand's reimbursement routes. Each action is idempotent (asking for the state it is in answers 200
 * without a second move) and queues its follow-ups (payout, influencer email) after the move is recorded.
 */
export function reimbursementsRouter(deps: ApiDeps): Router {
  const router = Router();
  const { repos } = deps;
  const source = (req: Request) => `brand:${currentBrand(req)._id}`;

  const answer = async (campaign: CampaignDoc, out: ActionOutcome) => {
    if (!out.ok && out.code === 'not_found') throw notFound('reimbursement');
    if (!out.ok && out.code === 'over_budget') {
      throw new HttpError(409, 'over_budget', out.message, {
        budgetLeft: formatMoney(out.budgetLeft, campaign.reimbursement?.currency ?? 'USD'),
      });
    }
    if (!out.ok) throw new HttpError(409, 'invalid_state', out.message);
    if (out.entry) await queueMoneyFollowUps(deps.queues, [out.entry]);
    return presentReimbursement(out.doc, deps.config.DATA_KEY);
  };

  router.get('/v1/campaigns/:id/reimbursements', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const query = parse(reimbursementListQuery, req.query, 'query');
    if (query.cursor !== undefined && !objectId.safeParse(query.cursor).success) throw badCursor();
    const docs = await repos.reimbursements.page(campaign._id, {
      state: query.status,
      after: query.cursor,
      limit: query.limit + 1,
    });
    const items = docs.slice(0, query.limit);
    res.json({
      items: items.map((d) => presentReimbursement(d, deps.config.DATA_KEY)),
      nextCursor: docs.length > query.limit ? (items[items.length - 1]?._id ?? null) : null,
    });
  });

  router.post('/v1/campaigns/:id/reimbursements/approve', requireJson(), jsonBody('64kb'), async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const body = parse(reimbursementBulkApproveRequest, req.body, 'body');
    let ids = body.ids ?? [];
    if (body.status) {
      ids = [];
      for (let after: string | undefined; ;) {
        const page = await repos.reimbursements.page(campaign._id, { state: body.status, after, limit: 500 });
        ids.push(...page.map((d) => d._id));
        after = page[page.length - 1]?._id;
        if (page.length < 500 || ids.length >= 10_000) break;
      }
    }
    const { approved, refused, entries } = await repos.reimbursementActions.approveMany(campaign._id, ids, source(req));
    await queueMoneyFollowUps(deps.queues, entries);
    res.json({ approved, refused });
  });

  router.post('/v1/campaigns/:id/reimbursements/:rid/approve', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    res.json(
      await answer(campaign, await repos.reimbursementActions.approve(campaign._id, reimbursementId(req), source(req))),
    );
  });

  router.post('/v1/campaigns/:id/reimbursements/:rid/reject', requireJson(), jsonBody('64kb'), async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const rid = reimbursementId(req);
    const body = parse(reimbursementRejectRequest, req.body, 'body');
    res.json(
      await answer(campaign, await repos.reimbursementActions.reject(campaign._id, rid, body.reason, source(req))),
    );
  });

  router.post('/v1/campaigns/:id/reimbursements/:rid/retry', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    res.json(
      await answer(campaign, await repos.reimbursementActions.retry(campaign._id, reimbursementId(req), source(req))),
    );
  });

  router.post('/v1/campaigns/:id/reimbursements/:rid/paid', requireJson(), jsonBody('64kb'), async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const rid = reimbursementId(req);
    const body = parse(reimbursementPaidRequest, req.body, 'body');
    const out = await repos.reimbursementActions.markPaid(campaign._id, rid, body.reference, source(req));
    res.json(await answer(campaign, out));
  });

  router.get('/v1/campaigns/:id/payouts.csv', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    await payoutsCsv(deps, campaign, res);
  });
  return router;
}
