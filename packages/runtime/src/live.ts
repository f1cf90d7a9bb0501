import type { Redis } from 'ioredis';

/**
 * Status changes travel from the worker to the API through one Redis stream per campaign (XADD, capped), so
 * a dashboard reconnecting with `Last-Event-ID` (the stream entry id) gets exactly what it missed.
 */
export const LIVE_STREAM_MAXLEN = 10_000;

export function liveStreamKey(prefix: string, campaignId: string): string {
  return `${prefix}:live:${campaignId}`;
}

/** The field of an entry that carries no status change: the campaign's summary moved (a sign-up, an upload). */
export const LIVE_SUMMARY_FIELD = 'summary';

/**
 * Tells the campaigns' live streams that their summaries moved without a status change (a new sign-up, an
 * attribution upload, a reimbursement move): the api sends a fresh summary, and no status event, for it.
 */
export async function touchLiveSummaries(redis: Redis, prefix: string, campaignIds: Iterable<string>): Promise<void> {
  const pipeline = redis.pipeline();
  for (const id of new Set(campaignIds))
    pipeline.xadd(liveStreamKey(prefix, id), 'MAXLEN', '~', LIVE_STREAM_MAXLEN, '*', LIVE_SUMMARY_FIELD, '1');
  if (pipeline.length > 0) await pipeline.exec();
}
