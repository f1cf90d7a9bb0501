import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CampaignTarget } from '@seedline/db';
import { BoundedCache, type ClickEvent, type LinkClaims } from '@seedline/domain';
import { clientKey, HttpError, type HitLimiter, type HotRoute, type ProxyTrust } from '@seedline/http';
import type { IngestDeps } from '../deps.js';
import { BotFilter } from '../clicks/bot-filter.js';
import { clickEvent } from '../clicks/click-event.js';
import { findCampaign } from './availability.js';

const NOT_FOUND_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
  '<title>Link not found</title></head><body style="font-family:system-ui,sans-serif;margin:3rem">' +
  '<main><h1>Link not found</h1><p>This link is not valid. Check that it was copied in full.</p></main></body></html>';
const DISABLED_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
  '<title>Link disabled</title></head><body style="font-family:system-ui,sans-serif;margin:3rem">' +
  '<main><h1>Link disabled</h1><p>This link no longer leads anywhere: its destination is not allowed. ' +
  'Ask the brand that sent it for a new one.</p></main></body></html>';
const NOT_FOUND_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
const INTERNAL = new HttpError(500, 'internal', 'internal error');

/** Location values, percent-encoded once per target rather than on every redirect. */
const locations = new BoundedCache<string, string>(10_000);
function location(target: string): string {
  return locations.getOrCompute(target, () => new URL(target).href);
}

export type TrackedLink = (req: IncomingMessage, res: ServerResponse, token: string) => void;

/**
 * The tracked link. A valid token always gets its 302, whatever happens to the click: past the per-IP
 * recording limit the click is kept but flagged (never moving a status), with Redis down it is spooled,
 * and even a failing spool only costs the click, never the redirect. The 302 leaves once the click is
 * durable (in Redis or the fsynced spool), so a redirect that was answered is a click that is kept.
 *
 * Served on plain node objects ahead of Express (see app.ts), with each response's headers handed to one
 * `writeHead`: this is the hot path, and a redirect needs no routing, body or content negotiation.
 */
export function trackedLink(
  deps: IngestDeps,
  recordLimiter: HitLimiter,
  hot: HotRoute,
  proxies: ProxyTrust,
): TrackedLink {
  const bots = new BotFilter();
  const redirectHeaders = [...hot.headers, 'Cache-Control', 'no-store', 'Content-Length', '0'];
  const pageHeaders = (page: string) => [
    ...hot.headers,
    'Cache-Control',
    'no-store',
    'Content-Security-Policy',
    NOT_FOUND_CSP,
    'Content-Type',
    'text/html; charset=utf-8',
    'Content-Length',
    String(Buffer.byteLength(page)),
  ];
  const notFoundHeaders = pageHeaders(NOT_FOUND_PAGE);
  // `link_disabled` rides in a header: the body is a page for the person who clicked.
  const disabledHeaders = pageHeaders(DISABLED_PAGE).concat('X-Error-Code', 'link_disabled');

  const fail = (req: IncomingMessage, res: ServerResponse, id: string, started: number, err: unknown) => {
    if (!(err instanceof HttpError)) deps.logger.error({ err }, 'unhandled error');
    if (!res.headersSent) hot.sendError(req, res, id, err instanceof HttpError ? err : INTERNAL, started);
  };

  const notFound = (req: IncomingMessage, res: ServerResponse, id: string, started: number) => {
    res.writeHead(404, notFoundHeaders.concat('X-Request-Id', id));
    res.end(NOT_FOUND_PAGE);
    hot.completed(req, id, 404, started);
  };

  type Clicked = { kind: ClickEvent['link']; claims: LinkClaims };
  const redirect = (
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    started: number,
    { kind, claims }: Clicked,
    campaign: CampaignTarget | null,
  ) => {
    if (!campaign) return notFound(req, res, id, started);
    const ip = proxies.clientAddress(req);
    const userAgent = req.headers['user-agent']?.slice(0, 512);
    const referrer = req.headers.referer?.slice(0, 512);
    // A HEAD counts as a bot.
    const human = bots.isHuman(req.method ?? 'GET', userAgent);
    const overLimit = recordLimiter.hit(clientKey(ip)) > 0;
    const event = clickEvent({
      eventId: `l-${randomUUID()}`,
      link: kind,
      claims,
      at: new Date(started).toISOString(),
      human,
      source: 'link',
      ipHash: deps.ipHasher.hash(ip),
      userAgent,
      referrer,
      flagged: overLimit ? 'rate_limited' : undefined,
    });
    // An influencer with an Amazon Attribution tag of its own goes there, so Amazon credits it with the purchase.
    // A stored target the allow-list refuses (decided when the campaign was cached) answers 410 instead.
    const field = kind === 'purchase' ? 'productUrl' : 'reviewUrl';
    const tagUrl = kind === 'purchase' ? campaign.tagUrls?.urls.get(claims.influencerId) : undefined;
    const target = tagUrl ?? (campaign.refused?.[field] ? undefined : campaign[field]);
    const headers =
      target === undefined
        ? disabledHeaders.concat('X-Request-Id', id)
        : redirectHeaders.concat('X-Request-Id', id, 'Location', location(target));
    deps.sink.click(event, (err) => {
      if (err === undefined) deps.metrics.clicks[human && !overLimit ? 'human' : 'bot']++;
      else {
        // Even a failing spool (disk full) never blocks the redirect: the person gets where they were going.
        deps.logger.error({ err: (err as Error).message }, 'click could not be recorded');
        deps.metrics.lost++;
      }
      const status = target === undefined ? 410 : 302;
      res.writeHead(status, headers);
      res.end(target === undefined && req.method !== 'HEAD' ? DISABLED_PAGE : undefined);
      hot.completed(req, id, status, started);
    });
  };

  return (req, res, token) => {
    const started = Date.now();
    const id = hot.requestId(req);
    try {
      const claims = deps.tokens.verify(token);
      if (!claims || claims.kind === 'submit') return notFound(req, res, id, started);
      const clicked = { kind: claims.kind, claims };
      // The campaign is almost always cached: then nothing waits for a promise.
      const cached = deps.campaigns.peek(claims.campaignId);
      if (cached !== undefined) return redirect(req, res, id, started, clicked, cached);
      findCampaign(deps, claims.campaignId).then(
        (campaign) => {
          try {
            redirect(req, res, id, started, clicked, campaign);
          } catch (err) {
            fail(req, res, id, started, err);
          }
        },
        (err: unknown) => fail(req, res, id, started, err),
      );
    } catch (err) {
      fail(req, res, id, started, err);
    }
  };
}
