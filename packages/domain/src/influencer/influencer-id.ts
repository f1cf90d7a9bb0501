import { createHash } from 'node:crypto';

/**
 * Influencer ids are derived from (campaign, normalised handle) so that ingest can answer a sign-up with its
 * id at once, without writing to the database, and a repeated sign-up gets the same id.
 * 24 hex characters, the same shape as a MongoDB ObjectId.
 */
export function influencerIdFor(campaignId: string, handle: string): string {
  return createHash('sha256').update(`${campaignId}\u0000${handle}`).digest('hex').slice(0, 24);
}

export const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;
