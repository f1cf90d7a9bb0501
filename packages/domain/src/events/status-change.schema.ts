import { z } from 'zod';
import { STATUSES } from '../influencer/status.js';

/**
 * The one status-change event: the worker appends it to the campaign's live stream, the API parses it there
 * and forwards it unchanged as the `data` of an `event: status` server-sent event.
 */
export const statusChangeEvent = z.object({
  influencerId: z.string(),
  instagramHandle: z.string().nullable(),
  from: z.enum(STATUSES),
  status: z.enum(STATUSES),
  at: z.iso.datetime(),
});
export type StatusChangeEvent = z.infer<typeof statusChangeEvent>;
