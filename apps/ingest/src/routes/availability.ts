import type { CampaignTarget } from '@seedline/db';
import { HttpError } from '@seedline/http';
import type { IngestDeps } from '../deps.js';

const unavailable = (what: string) =>
  new HttpError(503, 'unavailable', `${what} right now; retry shortly`, undefined, { 'Retry-After': '5' });

/**
 * The campaign behind a token or a sign-up, from the in-memory cache. A database that cannot be reached (and
 * no stale entry to fall back on) is a 503 the client may retry, never a 500.
 */
export async function findCampaign(
  deps: Pick<IngestDeps, 'campaigns' | 'logger'>,
  id: string,
): Promise<CampaignTarget | null> {
  try {
    return await deps.campaigns.get(id);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'campaign lookup failed');
    throw unavailable('campaigns cannot be read');
  }
}

/**
 * Stores an event (Redis or the spool) before a 202 is answered. When neither can take it (Redis down and
 * the spool's disk failing) the client is told to retry: a 503, not a 500, and never a 202 for a lost event.
 */
export async function storeEvent<T>(deps: Pick<IngestDeps, 'logger'>, store: () => Promise<T>): Promise<T> {
  try {
    return await store();
  } catch (err) {
    deps.logger.error({ err: (err as Error).message }, 'event could not be stored');
    throw unavailable('events cannot be stored');
  }
}

/** Whether the brand blocked the handle (Redis set, or the database when Redis cannot answer); 503 if neither can. */
export async function isBlocked(
  deps: Pick<IngestDeps, 'blocked' | 'logger'>,
  brandId: string,
  handle: string,
): Promise<boolean> {
  try {
    return await deps.blocked.isBlocked(brandId, handle);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'blocked-handle lookup failed');
    throw unavailable('sign-ups cannot be checked');
  }
}
