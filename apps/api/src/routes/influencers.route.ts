import { Router, type Response } from 'express';
import { influencerListQuery, objectId } from '@seedline/domain';
import { badCursor, notFound, parse } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { influencerAttribution } from '../attribution/influencer-attribution.js';
import {
  ATTRIBUTION_CSV_COLUMNS,
  attributionCsvCells,
  CSV_COLUMNS,
  csvCell,
  presentInfluencer,
  presentInfluencerDetail,
} from '../presenters/influencer.presenter.js';
import {
  presentReimbursementBrief,
  REIMBURSEMENT_CSV_COLUMNS,
  reimbursementCsvCells,
} from '../presenters/reimbursement.presenter.js';
import { scopedCampaign } from './campaign-scope.js';

const encodeCursor = (handle: string) => Buffer.from(handle, 'utf8').toString('base64url');
function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const handle = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9._]{1,30}$/.test(handle)) {
    throw badCursor();
  }
  return handle;
}

function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function influencersRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/campaigns/:id/influencers', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const query = parse(influencerListQuery, req.query, 'query');
    const { items, hasMore } = await deps.repos.influencerQueries.page(
      { campaignId: campaign._id, status: query.status, q: query.q, after: decodeCursor(query.cursor) },
      query.limit,
    );
    const last = items[items.length - 1];
    const ids = items.map((d) => d._id);
    const [attribution, money] = await Promise.all([
      influencerAttribution(deps.repos, campaign._id, ids),
      deps.repos.reimbursements.briefs(campaign._id, ids),
    ]);
    res.json({
      items: items.map((d) =>
        presentInfluencer(d, attribution.get(d._id) ?? null, presentReimbursementBrief(money.get(d._id))),
      ),
      nextCursor: hasMore && last?.instagramHandle ? encodeCursor(last.instagramHandle) : null,
    });
  });

  router.get('/v1/campaigns/:id/influencers.csv', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const query = parse(influencerListQuery.omit({ limit: true, cursor: true }), req.query, 'query');
    const rows = deps.repos.influencerQueries.cursor({ campaignId: campaign._id, status: query.status, q: query.q });
    // One read of the campaign's tags and creative rows up front; a campaign has far fewer tags than influencers.
    const attribution = await influencerAttribution(deps.repos, campaign._id);
    // Likewise the campaign's reimbursements (small documents' state and amount only).
    const money = await deps.repos.reimbursements.briefs(campaign._id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="campaign-${campaign._id}-influencers.csv"`);
    res.write(`${[...CSV_COLUMNS, ...ATTRIBUTION_CSV_COLUMNS, ...REIMBURSEMENT_CSV_COLUMNS].join(',')}\n`);
    // Streamed row by row from a database cursor: memory stays flat for any campaign size. A client that goes
    // away ends the loop (and closes the cursor) instead of leaving it waiting for a drain that never comes.
    try {
      for await (const doc of rows) {
        if (res.destroyed) break;
        const item = presentInfluencer(doc);
        const cells = [
          ...CSV_COLUMNS.map((c) => item[c]),
          ...attributionCsvCells(attribution.get(doc._id) ?? null),
          ...reimbursementCsvCells(presentReimbursementBrief(money.get(doc._id))),
        ];
        const line = `${cells.map(csvCell).join(',')}\n`;
        if (!res.write(line)) await drainedOrClosed(res);
      }
      res.end();
    } catch (err) {
      // The status line is gone: cut the transfer so the client sees an incomplete file, not a short one.
      deps.logger.warn({ campaignId: campaign._id, err: (err as Error).message }, 'CSV export failed midway');
      res.destroy();
    }
  });

  router.get('/v1/campaigns/:id/influencers/:influencerId', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const influencerId = String(req.params.influencerId);
    if (!objectId.safeParse(influencerId).success) throw notFound('influencer');
    const doc = await deps.repos.influencerQueries.findInCampaign(campaign._id, influencerId);
    if (!doc) throw notFound('influencer');
    const [timeline, attribution, money] = await Promise.all([
      deps.repos.events.timeline(influencerId, 500),
      influencerAttribution(deps.repos, campaign._id, [influencerId]),
      deps.repos.reimbursements.findForCampaign(campaign._id, influencerId),
    ]);
    res.json(
      presentInfluencerDetail(doc, timeline, attribution.get(influencerId) ?? null, presentReimbursementBrief(money)),
    );
  });
  return router;
}
