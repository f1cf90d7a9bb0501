import express, { Router, type Response } from 'express';
import { jobIdFor, verifyUnsubscribeToken, type UnsubscribeClaims } from '@seedline/domain';
import { HttpError } from '@seedline/http';
import type { IngestDeps } from '../deps.js';
import { nextAccepted } from '../enqueue/accepted.js';
import {
  renderUnsubscribeConfirm,
  renderUnsubscribed,
  renderUnsubscribeNotFound,
  UNSUBSCRIBE_CSP,
} from '../views/unsubscribe.view.js';
import { findCampaign, storeEvent } from './availability.js';

function html(res: Response, status: number, body: string): void {
  res.setHeader('Content-Security-Policy', UNSUBSCRIBE_CSP);
  res.status(status).type('html').send(body);
}

/**
 * `GET /u/:token` asks; `POST /u/:token` unsubscribes. Mail providers send the RFC 8058 one-click POST
 * (`List-Unsubscribe=One-Click`) from their own servers, many people's from one address, so no per-address
 * limit applies here: the signed token is the only key. Each request is a job of its own; the worker records
 * the first one applied and the rest change nothing.
 */
export function unsubscribeRouter(deps: IngestDeps): Router {
  const router = Router();
  const claimsOf = (token: string | undefined): UnsubscribeClaims | null =>
    verifyUnsubscribeToken(token ?? '', deps.links);

  router.get('/u/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const claims = claimsOf(req.params.token);
    const campaign = claims ? await findCampaign(deps, claims.campaignId) : null;
    if (!claims || !campaign) return html(res, 404, renderUnsubscribeNotFound());
    html(res, 200, renderUnsubscribeConfirm(campaign.name));
  });

  router.post('/u/:token', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const claims = claimsOf(req.params.token);
    const campaign = claims ? await findCampaign(deps, claims.campaignId) : null;
    if (!claims || !campaign) throw new HttpError(404, 'not_found', 'unsubscribe link not found');
    const fromPage = (req.body as Record<string, unknown> | undefined)?.confirm === 'yes';
    // A job per request: a repeat is applied even while an earlier one that failed is still kept by BullMQ.
    const request = `${claims.influencerId}-${nextAccepted()}`;
    await storeEvent(deps, () =>
      deps.sink.send('unsubscribes', jobIdFor('unsub', request), {
        eventId: `unsubscribe-${request}`,
        campaignId: claims.campaignId,
        influencerId: claims.influencerId,
        at: new Date().toISOString(),
        via: fromPage ? 'confirm-page' : 'one-click',
      }),
    );
    // One-click: mail clients read only the status. The page's button gets a page back.
    if (fromPage) html(res, 200, renderUnsubscribed(campaign.name));
    else res.status(200).end();
  });
  return router;
}
