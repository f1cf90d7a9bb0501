import { createHmac, randomUUID } from 'node:crypto';
import { Router } from 'express';
import { classifyClick, verifyLinkToken, type ClickEvent } from '@seedline/domain';
import type { WindowLimiter } from '@seedline/http';
import type { IngestDeps } from '../app.js';

const NOT_FOUND_PAGE =
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Link not found</title>' +
  '<body style="font-family:system-ui;margin:3rem"><h1>Link not found</h1><p>This link is not valid. Check that it was copied in full.</p></body></html>';

/** Salted hash of the client address: lets bots be told apart without ever storing the address itself. */
export function hashIp(ip: string | undefined, secret: string): string | undefined {
  if (!ip) return undefined;
  return createHmac('sha256', `ip-salt:${secret}`).update(ip).digest('hex').slice(0, 32);
}

export function linksRouter(deps: IngestDeps, recordLimiter: WindowLimiter): Router {
  const router = Router();
  // Express routes HEAD to GET handlers; classifyClick flags it as a bot.
  router.get('/l/:token', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const claims = verifyLinkToken(req.params.token, deps.config.LINK_SECRET);
    if (!claims || claims.kind === 'submit') {
      res.status(404).type('html').send(NOT_FOUND_PAGE);
      return;
    }
    const campaign = await deps.campaigns.get(claims.campaignId);
    if (!campaign) {
      res.status(404).type('html').send(NOT_FOUND_PAGE);
      return;
    }
    const target = claims.kind === 'purchase' ? campaign.productUrl : campaign.reviewUrl;
    const userAgent = req.get('user-agent')?.slice(0, 512);
    const human = classifyClick({ method: req.method, userAgent }) === 'human';
    const overLimit = recordLimiter.hit(req.ip ?? 'unknown') > 0;
    const event: ClickEvent = {
      eventId: `l-${randomUUID()}`,
      link: claims.kind,
      campaignId: claims.campaignId,
      influencerId: claims.influencerId,
      at: new Date().toISOString(),
      human,
      source: 'link',
      ipHash: hashIp(req.ip, deps.config.LINK_SECRET),
      userAgent,
      referrer: req.get('referer')?.slice(0, 512),
      ...(overLimit ? { flagged: 'rate_limited' as const } : {}),
    };
    try {
      await deps.sink.click(event);
      deps.metrics.clicks[human && !overLimit ? 'human' : 'bot']++;
    } catch (err) {
      // Even a failing spool never blocks the redirect: the person gets where they were going.
      deps.logger.error({ err: (err as Error).message }, 'click could not be recorded');
      deps.metrics.lost++;
    }
    res.redirect(302, target);
  });
  return router;
}
