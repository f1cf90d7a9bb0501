import type { CampaignTarget } from '@seedline/db';
import { HttpError } from '@seedline/http';
import type { IngestDeps } from '../app.js';

/**
 * The campaign behind a token or a sign-up, from the in-memory cache. A database that cannot be reached (and
 * no stale entry to fall back on) is a 503 the client may retry, never a 500.
 */
export async function findCampaign(deps: Pick<IngestDeps, 'campaigns' | 'logger'>, id: string): Promise<CampaignTarget | null> {
  try {
    return await deps.campaigns.get(id);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'campaign lookup failed');
    throw new HttpError(503, 'unavailable', 'campaigns cannot be read right now; retry shortly', undefined, { 'Retry-After': '5' });
  }
}
