import { z } from 'zod';
import { clickEventId, isoDate, objectId } from './common.js';

export const clickEvent = z.object({
  eventId: clickEventId,
  link: z.enum(['purchase', 'review']),
  campaignId: objectId,
  influencerId: objectId,
  at: isoDate,
  human: z.boolean(),
  source: z.enum(['link', 'tracker']),
  /** salted SHA-256 of the client IP; the raw IP is never stored or logged */
  ipHash: z.string().max(64).optional(),
  userAgent: z.string().max(512).optional(),
  referrer: z.string().max(512).optional(),
  /** recorded past a rate limit: kept for totals, never moves a status */
  flagged: z.enum(['rate_limited']).optional(),
});
export type ClickEvent = z.infer<typeof clickEvent>;

/** Clicks that arrived in the same event-loop tick travel together in one job. */
export const clicksJob = z.object({ events: z.array(clickEvent).min(1).max(1000) });
export type ClicksJob = z.infer<typeof clicksJob>;
