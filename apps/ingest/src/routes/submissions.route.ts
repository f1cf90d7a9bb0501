import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { jobIdFor, parseInstagramPostUrl, submissionRequest, verifyLinkToken } from '@seedline/domain';
import { HttpError, jsonBody, parse, requireJson } from '@seedline/http';
import type { IngestDeps } from '../deps.js';
import { findCampaign, storeEvent } from './availability.js';

export function submissionsRouter(deps: IngestDeps): Router {
  const router = Router();
  router.post('/v1/submissions', deps.publicPostLimit, requireJson(), jsonBody(), async (req, res) => {
    const body = parse(submissionRequest, req.body, 'body');
    const claims = verifyLinkToken(body.token, deps.config.LINK_SECRET);
    if (!claims || claims.kind !== 'submit') {
      throw new HttpError(401, 'invalid_token', 'body.token: not a valid submission token', [
        { path: 'body.token', message: 'not a valid submission token' },
      ]);
    }
    const campaign = await findCampaign(deps, claims.campaignId);
    if (!campaign) throw new HttpError(404, 'not_found', 'campaign not found');
    const post = parseInstagramPostUrl(body.postUrl);
    const submissionId = `s-${randomUUID()}`;
    await storeEvent(deps, () =>
      deps.sink.send('submissions', jobIdFor('submission', submissionId), {
        eventId: submissionId,
        campaignId: claims.campaignId,
        influencerId: claims.influencerId,
        postUrl: post?.url ?? body.postUrl,
        ...(body.caption !== undefined ? { caption: body.caption } : {}),
        at: new Date().toISOString(),
      }),
    );
    res.status(202).json({ submissionId });
  });
  return router;
}
