import { z } from 'zod';
import { eventId, isoDate, objectId } from './common.js';

export const signupJob = z.object({
  eventId,
  campaignId: objectId,
  influencerId: objectId,
  instagramHandle: z.string().regex(/^[a-z0-9._]{1,30}$/),
  email: z.email().optional(),
  timezone: z.string().max(64).optional(),
  at: isoDate,
  /** ingest's acceptance order (events/acceptance.ts): the email and time zone of the last accepted win */
  accepted: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type SignupJob = z.infer<typeof signupJob>;
