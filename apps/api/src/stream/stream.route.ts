import { Router } from 'express';
import { liveEventId, streamQuery } from '@seedline/domain';
import { HttpError, parse } from '@seedline/http';
import type { ApiDeps } from '../deps.js';
import { scopedCampaign } from '../routes/campaign-scope.js';
import { TooManyStreams } from './live-feeds.js';
import { SseSession } from './sse-session.js';

/** A reconnect replays at most this many missed entries (the stream keeps about 10,000 per campaign). */
const REPLAY_PAGE = 1000;
const REPLAY_MAX = 20_000;

function resumeFrom(header: string | undefined, query: unknown): string | undefined {
  const fromQuery = parse(streamQuery, query, 'query').lastEventId;
  if (header === undefined || header === '') return fromQuery;
  const parsed = liveEventId.safeParse(header);
  if (!parsed.success) {
    throw new HttpError(
      400,
      'invalid_request',
      'headers.last-event-id: must be an event id received from this stream',
      [{ path: 'headers.last-event-id', message: 'must be an event id received from this stream' }],
    );
  }
  return parsed.data;
}

/**
 * Server-sent events of a campaign: `summary` on connect, then one `status` per status change (its `id` is the
 * stream entry id) and a coalesced `summary` after changes, `: ping` heartbeats. `Last-Event-ID` (or
 * `?lastEventId=`) resends what the client missed.
 */
export function streamRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/campaigns/:id/stream', async (req, res) => {
    const campaign = await scopedCampaign(deps, req);
    const lastEventId = resumeFrom(req.get('last-event-id'), req.query);
    let release: () => void;
    try {
      release = deps.live.feeds.reserve(campaign.brandId);
    } catch (err) {
      if (err instanceof TooManyStreams)
        throw new HttpError(429, 'too_many_streams', 'too many open streams for this brand', undefined, {
          'Retry-After': '5',
        });
      throw err;
    }
    const session = new SseSession(res, campaign._id, campaign.brandId, 2000);
    session.onClose(release);
    try {
      await deps.live.feeds.join(session);
      if (lastEventId) {
        session.lastId = lastEventId;
        let missed = await deps.live.hub.range(campaign._id, lastEventId, REPLAY_PAGE);
        const replay = [...missed];
        while (missed.length === REPLAY_PAGE && replay.length < REPLAY_MAX) {
          missed = await deps.live.hub.range(campaign._id, missed[missed.length - 1]!.id, REPLAY_PAGE);
          replay.push(...missed);
        }
        // Computed after the replay was read, so it already counts every replayed change.
        const summary = await deps.live.feeds.summary(campaign._id);
        session.summary(summary, false);
        session.statuses(replay);
        if (replay.length) session.summary(summary);
      } else {
        const head = await deps.live.hub.head(campaign._id);
        // Read after the head: counts every change up to it, so the client may resume from there.
        const summary = await deps.live.feeds.summary(campaign._id);
        if (head !== '0-0') session.lastId = head;
        session.summary(summary);
      }
      session.release();
    } catch (err) {
      deps.logger.warn({ campaignId: campaign._id, err: (err as Error).message }, 'stream setup failed');
      session.close();
    }
  });
  return router;
}
