import { Router } from 'express';
import { influencerListQuery, objectId } from '@seedline/domain';
import { HttpError, notFound, parse } from '@seedline/http';
import type { ApiDeps } from '../app.js';
import { CSV_COLUMNS, csvCell, presentInfluencer, presentInfluencerDetail } from '../presenters/influencer.presenter.js';
import { scopedCampaign } from './campaign-scope.js';

const encodeCursor = (handle: string) => Buffer.from(handle, 'utf8').toString('base64url');
function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const handle = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9._]{1,30}$/.test(handle)) {
    throw new HttpError(400, 'invalid_request', 'query.cursor: not a cursor from a previous page', [
      { path: 'query.cursor', message: 'not a cursor from a previous page' },
    ]);
  }
  return handle;
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
    res.json({ items: items.map(presentInfluencer), nextCursor: hasMore && last?.instagramHandle ? encodeCursor(last.instagramHandle) : null });
  });

  router.get('/v1/campaigns/:id/influencers.csv', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const query = parse(influencerListQuery.omit({ limit: true, cursor: true }), req.query, 'query');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="campaign-${campaign._id}-influencers.csv"`);
    res.write(`${CSV_COLUMNS.join(',')}\n`);
    // Streamed row by row from a database cursor: memory stays flat for any campaign size.
    for await (const doc of deps.repos.influencerQueries.cursor({ campaignId: campaign._id, status: query.status, q: query.q })) {
      const item = presentInfluencer(doc);
      const line = `${CSV_COLUMNS.map((c) => csvCell(item[c])).join(',')}\n`;
      if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  });

  router.get('/v1/campaigns/:id/influencers/:influencerId', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const influencerId = String(req.params.influencerId);
    if (!objectId.safeParse(influencerId).success) throw notFound('influencer');
    const doc = await deps.repos.influencerQueries.findInCampaign(campaign._id, influencerId);
    if (!doc) throw notFound('influencer');
    const timeline = await deps.repos.events.timeline(influencerId, 500);
    res.json(presentInfluencerDetail(doc, timeline));
  });
  return router;
}
