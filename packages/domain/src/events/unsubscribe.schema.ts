import { z } from 'zod';
import { eventId, isoDate, objectId } from './common.js';

/** An influencer asked for no more reminders of a campaign (one-click or the confirm page). */
export const unsubscribeJob = z.object({
  eventId,
  campaignId: objectId,
  influencerId: objectId,
  at: isoDate,
  via: z.enum(['one-click', 'confirm-page']),
});
export type UnsubscribeJob = z.infer<typeof unsubscribeJob>;
