import { z } from 'zod';
import { eventId, isoDate, objectId } from './common.js';
import { proofJob } from '../money/proof.schema.js';

export const submissionJob = z.object({
  eventId,
  campaignId: objectId,
  influencerId: objectId,
  /** absent when the influencer sent only the proof of purchase */
  postUrl: z.string().max(2048).optional(),
  caption: z.string().max(5000).optional(),
  proof: proofJob.optional(),
  at: isoDate,
});
export type SubmissionJob = z.infer<typeof submissionJob>;
