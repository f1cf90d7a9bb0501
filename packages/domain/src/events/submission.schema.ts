import { z } from 'zod';
import { eventId, isoDate, objectId } from './common.js';

export const submissionJob = z.object({
  eventId,
  campaignId: objectId,
  influencerId: objectId,
  postUrl: z.string().max(2048),
  caption: z.string().max(5000).optional(),
  at: isoDate,
});
export type SubmissionJob = z.infer<typeof submissionJob>;
