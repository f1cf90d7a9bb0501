import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { ClickEvent } from '@seedline/domain';
import type { HitLimiter } from '@seedline/http';
import type { IngestDeps } from '../app.js';
import { BotFilter } from '../clicks/bot-filter.js';
import { clientKey } from '../clicks/client-key.js';
import { findCampaign } from './availability.js';

const NOT_FOUND_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
  '<title>Link not found</title></head><body style="font-family:system-ui,sans-serif;margin:3rem">' +
  '<main><h1>Link not found</h1><p>This link is not valid. Check that it was copied in full.</p></main></body></html>';

export function sendLinkNotFound(res: Response): void {
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'");
  res.status(404).type('html').send(NOT_FOUND_PAGE);
}

/** Location values, percent-encoded once per target rather than on every redirect. */
const locations = new Map<string, string>();
function location(target: string): string {
  let href = locations.get(target);
  if (href === undefined) {
    href = new URL(target).href;
    if (locations.size >= 10_000) locations.clear();
    locations.set(target, href);
  }
  return href;
}

/**
 * The tracked link. A valid token always gets its 302, whatever happens to the click: past the per-IP
 * recording limit the click is kept but flagged (never moving a status), with Redis down it is spooled,
 * and even a failing spool only costs the click, never the redirect.
 */
export function trackedLink(deps: IngestDeps, recordLimiter: HitLimiter): RequestHandler<{ token: string }> {
  const bots = new BotFilter();
  // Express answers HEAD with this GET handler; a HEAD counts as a bot.
  return async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const claims = deps.tokens.verify(req.params.token);
    if (!claims || claims.kind === 'submit') return sendLinkNotFound(res);
    const campaign = await findCampaign(deps, claims.campaignId);
    if (!campaign) return sendLinkNotFound(res);

    const ip = req.ip;
    const userAgent = req.headers['user-agent']?.slice(0, 512);
    const referrer = req.headers.referer?.slice(0, 512);
    const human = bots.isHuman(req.method, userAgent);
    const overLimit = recordLimiter.hit(clientKey(ip)) > 0;
    const event: ClickEvent = {
      eventId: `l-${randomUUID()}`,
      link: claims.kind,
      campaignId: claims.campaignId,
      influencerId: claims.influencerId,
      at: new Date().toISOString(),
      human,
      source: 'link',
    };
    const ipHash = deps.ipHasher.hash(ip);
    if (ipHash) event.ipHash = ipHash;
    if (userAgent) event.userAgent = userAgent;
    if (referrer) event.referrer = referrer;
    if (overLimit) event.flagged = 'rate_limited';
    try {
      await deps.sink.click(event);
      deps.metrics.clicks[human && !overLimit ? 'human' : 'bot']++;
    } catch (err) {
      // Even a failing spool (disk full) never blocks the redirect: the person gets where they were going.
      deps.logger.error({ err: (err as Error).message }, 'click could not be recorded');
      deps.metrics.lost++;
    }
    // A bare 302: no body to negotiate, the Location is all a browser or crawler reads.
    // An influencer with an Amazon Attribution tag of its own goes there, so Amazon credits it with the purchase.
    const target =
      claims.kind === 'purchase'
        ? (campaign.tagUrls?.urls.get(claims.influencerId) ?? campaign.productUrl)
        : campaign.reviewUrl;
    res.writeHead(302, { Location: location(target), 'Content-Length': '0' });
    res.end();
  };
}
