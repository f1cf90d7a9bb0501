import { z } from 'zod';
import { eventId, isoDate, objectId } from '../events/common.js';
import { normalizeHandle } from '../instagram/handle.js';
import { parseInstagramPostUrl } from '../instagram/post-url.js';
import { isValidTimezone } from '../reminders/schedule.js';
import { amazonOrderId, amountPaidText, payoutEmail, PROOF_FIELDS } from '../money/proof.schema.js';

export const instagramHandle = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const handle = normalizeHandle(value);
    if (!handle) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an Instagram handle: 1–30 of a-z 0-9 . _ (a leading @ is fine)',
      });
      return z.NEVER;
    }
    return handle;
  });

export const signupRequest = z.strictObject({
  campaignId: objectId,
  instagramHandle,
  email: z.email().max(254).optional(),
  timezone: z.string().max(64).refine(isValidTimezone, 'must be an IANA time zone such as Europe/Paris').optional(),
});
export type SignupRequest = z.infer<typeof signupRequest>;

const linkToken = z.string().min(1).max(128);

export const submissionRequest = z
  .strictObject({
    token: linkToken,
    postUrl: z
      .string()
      .max(2048)
      .refine(
        (v) => parseInstagramPostUrl(v) !== null,
        'must be an Instagram post or reel URL such as https://www.instagram.com/p/SHORTCODE/',
      )
      .optional(),
    caption: z.string().max(2200).optional(),
    // Proof of purchase: the three together, with the post or later through the same link.
    orderId: amazonOrderId.optional(),
    amountPaid: amountPaidText.optional(),
    payoutEmail: payoutEmail.optional(),
  })
  .superRefine((v, ctx) => {
    const given = PROOF_FIELDS.filter((f) => v[f] !== undefined);
    if (v.postUrl === undefined && given.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['postUrl'], message: 'give the post URL, the proof of purchase, or both' });
    }
    if (given.length > 0) {
      for (const f of PROOF_FIELDS) {
        if (v[f] === undefined) {
          ctx.addIssue({ code: 'custom', path: [f], message: 'is required with the rest of the proof of purchase' });
        }
      }
    }
  });
export type SubmissionRequest = z.infer<typeof submissionRequest>;

/** Tracker event ids are stored prefixed (`t-…`) so they never meet ingest's own ids. */
export const TRACKER_EVENT_PREFIX = 't-';

/**
 * A tracker's event id as stored: scoped to the campaign, since trackers number their events on their own and
 * two campaigns' trackers may both send an `e1` (each must count). Fits a click event's id (≤ 160).
 */
export function trackerEventId(campaignId: string, id: string): string {
  return `${TRACKER_EVENT_PREFIX}${campaignId}-${id}`;
}
/** Clock skew allowed for a tracker's `at`: a click from the future would fake an early status time. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export const trackerClick = z.strictObject({
  eventId: eventId.max(128 - TRACKER_EVENT_PREFIX.length),
  token: linkToken,
  at: isoDate.refine((v) => Date.parse(v) <= Date.now() + MAX_CLOCK_SKEW_MS, 'must not be in the future').optional(),
  userAgent: z.string().max(1024).optional(),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
});
export const clicksRequest = z.strictObject({ events: z.array(trackerClick).min(1).max(1000) });
export type ClicksRequest = z.infer<typeof clicksRequest>;

export const linkTokenParam = z.object({ token: linkToken });
