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
});
export type SignupJob = z.infer<typeof signupJob>;
