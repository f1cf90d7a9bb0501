import { createHash } from 'node:crypto';
import { Router } from 'express';
import { classifyClick, clicksRequest, verifyLinkToken, type ClickEvent } from '@seedline/domain';
import { HttpError, jsonBody, parse, requireBearer, requireJson } from '@seedline/http';
import type { IngestDeps } from '../app.js';
import { hashIp } from './links.route.js';

/** Click events forwarded by external link trackers; `eventId` makes a re-send safe. */
export function clicksRouter(deps: IngestDeps): Router {
  const router = Router();
  router.post('/v1/clicks', requireBearer(deps.config.INGEST_TOKEN), requireJson(), jsonBody('1mb'), async (req, res) => {
    const body = parse(clicksRequest, req.body, 'body');
    const now = new Date().toISOString();
    const bad: { path: string; message: string }[] = [];
    const events: ClickEvent[] = [];
    body.events.forEach((e, i) => {
      const claims = verifyLinkToken(e.token, deps.config.LINK_SECRET);
      if (!claims || claims.kind === 'submit') {
        bad.push({ path: `body.events.${i}.token`, message: 'not a valid purchase or review link token' });
        return;
      }
      events.push({
        eventId: `t-${e.eventId}`,
        link: claims.kind,
        campaignId: claims.campaignId,
        influencerId: claims.influencerId,
        at: e.at ? new Date(e.at).toISOString() : now,
        human: classifyClick({ userAgent: e.userAgent }) === 'human',
        source: 'tracker',
        ipHash: hashIp(e.ip, deps.config.LINK_SECRET),
        ...(e.userAgent ? { userAgent: e.userAgent.slice(0, 512) } : {}),
      });
    });
    if (bad.length) throw new HttpError(400, 'invalid_request', `${bad[0]?.path}: ${bad[0]?.message}`, bad);
    const digest = createHash('sha256').update(events.map((e) => e.eventId).join('\n')).digest('hex').slice(0, 32);
    await deps.sink.clicks(events, `trk-${digest}`);
    res.status(202).json({ accepted: events.length });
  });
  return router;
}
