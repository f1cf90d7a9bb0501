import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import {
  jobIdFor,
  parseInstagramPostUrl,
  parseMoney,
  PROOF_FIELDS,
  sealText,
  submissionRequest,
  verifyLinkToken,
  type ProofJob,
  type SubmissionRequest,
} from '@seedline/domain';
import { HttpError, jsonBody, parse, requireJson } from '@seedline/http';
import type { CampaignTarget } from '@seedline/db';
import type { IngestDeps } from '../deps.js';
import { findCampaign, storeEvent } from './availability.js';

const badField = (field: string, message: string) =>
  new HttpError(400, 'invalid_request', `body.${field}: ${message}`, [{ path: `body.${field}`, message }]);

/** The proof as queued: the amount read in the campaign's currency, the payout address sealed at once. */
function proofOf(body: SubmissionRequest, campaign: CampaignTarget, deps: IngestDeps): ProofJob | undefined {
  if (body.orderId === undefined || body.amountPaid === undefined || body.payoutEmail === undefined) return undefined;
  const terms = campaign.reimbursement;
  if (!terms) throw badField('orderId', 'this campaign does not reimburse purchases');
  const paid = parseMoney(body.amountPaid, terms.currency);
  if (!paid.ok) throw badField('amountPaid', paid.message);
  return {
    orderId: body.orderId,
    amountPaid: paid.minor,
    currency: terms.currency,
    payoutEmail: sealText(body.payoutEmail.toLowerCase(), deps.config.DATA_KEY),
  };
}

export function submissionsRouter(deps: IngestDeps): Router {
  const router = Router();
  router.post('/v1/submissions', deps.publicPostLimit, requireJson(), jsonBody(), async (req, res) => {
    const body = parse(submissionRequest, req.body, 'body');
    const claims = verifyLinkToken(body.token, deps.links);
    if (!claims || claims.kind !== 'submit') {
      throw new HttpError(401, 'invalid_token', 'body.token: not a valid submission token', [
        { path: 'body.token', message: 'not a valid submission token' },
      ]);
    }
    const campaign = await findCampaign(deps, claims.campaignId);
    if (!campaign) throw new HttpError(404, 'not_found', 'campaign not found');
    const proof = proofOf(body, campaign, deps);
    const post = body.postUrl === undefined ? null : parseInstagramPostUrl(body.postUrl);
    const submissionId = `s-${randomUUID()}`;
    await storeEvent(deps, () =>
      deps.sink.send('submissions', jobIdFor('submission', submissionId), {
        eventId: submissionId,
        campaignId: claims.campaignId,
        influencerId: claims.influencerId,
        ...(body.postUrl !== undefined ? { postUrl: post?.url ?? body.postUrl } : {}),
        ...(body.caption !== undefined ? { caption: body.caption } : {}),
        ...(proof ? { proof } : {}),
        at: new Date().toISOString(),
      }),
    );
    // What the influencer can still send through the same link.
    const missing: string[] = [];
    if (body.postUrl === undefined) missing.push('postUrl');
    if (!proof && campaign.reimbursement) missing.push(...PROOF_FIELDS);
    res.status(202).json({ submissionId, missing });
  });
  return router;
}
