import { Router, type RequestHandler } from 'express';
import { buildInfluencerLinks, influencerIdFor, signupRequest } from '@seedline/domain';
import { HttpError, jsonBody, notFound, parse, requireJson } from '@seedline/http';
import type { IngestDeps } from '../deps.js';
import { nextAccepted } from '../enqueue/accepted.js';
import { findCampaign, isBlocked, storeEvent } from './availability.js';

/** `base`: what the app's base middleware does for every response (headers, request id, log line). */
export function signupsRouter(deps: IngestDeps, base: RequestHandler): Router {
  const router = Router();
  router.post('/v1/signups', base, deps.ingestAuth, requireJson(), jsonBody(), async (req, res) => {
    const body = parse(signupRequest, req.body, 'body');
    const campaign = await findCampaign(deps, body.campaignId);
    if (!campaign) throw notFound('campaign');
    if (campaign.state === 'ended')
      throw new HttpError(409, 'campaign_ended', 'campaign has ended and takes no sign-ups');
    if (await isBlocked(deps, campaign.brandId, body.instagramHandle)) {
      throw new HttpError(
        409,
        'influencer_blocked',
        "this influencer returned a product and takes no part in the brand's campaigns",
      );
    }
    const influencerId = influencerIdFor(body.campaignId, body.instagramHandle);
    // Every request is an event of its own (batched with those of the same moment): a re-sign-up that changes
    // the email or time zone is applied, the last accepted winning.
    const accepted = nextAccepted();
    await storeEvent(deps, () =>
      deps.sink.signup({
        eventId: `signup-${influencerId}-${accepted}`,
        campaignId: body.campaignId,
        influencerId,
        instagramHandle: body.instagramHandle,
        ...(body.email ? { email: body.email } : {}),
        ...(body.timezone ? { timezone: body.timezone } : {}),
        at: new Date().toISOString(),
        accepted,
      }),
    );
    res.status(202).json({
      influencerId,
      instagramHandle: body.instagramHandle,
      links: buildInfluencerLinks(deps.config.PUBLIC_INGEST_URL, body.campaignId, influencerId, deps.links),
    });
  });
  return router;
}
