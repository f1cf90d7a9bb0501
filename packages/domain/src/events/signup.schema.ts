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

/** The most sign-ups one job carries. */
export const SIGNUPS_PER_JOB = 1000;

/**
 * Sign-ups the ingest accepted together (those of one event-loop tick): one job for them all, so BullMQ's
 * per-job work (an add, a move to active, a move to finished) is paid once per batch instead of per sign-up.
 */
export const signupBatchJob = z.object({ signups: z.array(signupJob).min(1).max(SIGNUPS_PER_JOB) });
export type SignupBatchJob = z.infer<typeof signupBatchJob>;

/**
 * What the signups queue holds: a batch, or one sign-up (jobs queued or spooled by an ingest from before
 * batches, and those a test or an operator adds by hand). A single payload that fails reports its own fields.
 */
export const signupsQueueJob = z.union([signupBatchJob, signupJob]);
export type SignupsQueueJob = z.infer<typeof signupsQueueJob>;

/** The sign-ups a job of the signups queue carries. */
export function signupsOf(payload: SignupsQueueJob): SignupJob[] {
  return 'signups' in payload ? payload.signups : [payload];
}
