import { createHash } from 'node:crypto';
import { Router } from 'express';
import { classifyClick, clicksRequest, trackerEventId, type ClickEvent } from '@seedline/domain';
import { HttpError, jsonBody, parse, requireJson, type FieldIssue } from '@seedline/http';
import { clickEvent } from '../clicks/click-event.js';
import type { IngestDeps } from '../deps.js';
import { storeEvent } from './availability.js';

/**
 * The largest batch the schema takes must fit: 1,000 events, each with a 126-character id, a token and a
 * 1,024-character user agent, is ~1.5 MB of JSON. This authenticated feed gets 2 MiB (the default is 64 KiB).
 */
const FEED_BODY_LIMIT = '2mb';

/**
 * Click events forwarded by external link trackers. The batch is all or nothing: one bad token rejects it
 * (400 naming each bad event) and records nothing. `eventId` makes a re-send safe: the job id is derived
 * from the batch's event ids and the database keeps each event once, per campaign (trackers number their own).
 */
export function clicksRouter(deps: IngestDeps): Router {
  const router = Router();
  router.post('/v1/clicks', deps.ingestAuth, requireJson(), jsonBody(FEED_BODY_LIMIT), async (req, res) => {
    const body = parse(clicksRequest, req.body, 'body');
    const now = new Date().toISOString();
    const bad: FieldIssue[] = [];
    const events: ClickEvent[] = [];
    body.events.forEach((e, i) => {
      const claims = deps.tokens.verify(e.token);
      if (!claims || claims.kind === 'submit') {
        bad.push({ path: `body.events.${i}.token`, message: 'not a valid purchase or review link token' });
        return;
      }
      const event = clickEvent({
        eventId: trackerEventId(claims.campaignId, e.eventId),
        link: claims.kind,
        claims,
        at: e.at ? new Date(e.at).toISOString() : now,
        human: classifyClick({ userAgent: e.userAgent }) === 'human',
        source: 'tracker',
        ipHash: deps.ipHasher.hash(e.ip),
        userAgent: e.userAgent,
      });
      events.push(event);
    });
    if (bad.length) throw new HttpError(400, 'invalid_request', `${bad[0]?.path}: ${bad[0]?.message}`, bad);
    const digest = createHash('sha256')
      .update(events.map((e) => e.eventId).join('\n'))
      .digest('hex')
      .slice(0, 32);
    await storeEvent(deps, () => deps.sink.clicks(events, `trk-${digest}`));
    res.status(202).json({ accepted: events.length });
  });
  return router;
}
