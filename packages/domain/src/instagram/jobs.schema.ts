import { z } from 'zod';

/**
 * The `instagram` queue: every Graph API look-up runs here, apart from status changes, so a slow or throttled
 * Graph API never delays anything else. The durable state lives in the database (checks, mentions, accounts);
 * a job only says which of them to work on, so a lost job is found again by the sweep.
 */
export const instagramJob = z.discriminatedUnion('task', [
  /** a submission's verification or an accepted post's re-check (`instagram_checks`) */
  z.object({ task: z.literal('check'), checkId: z.string().min(1).max(200) }),
  /** a stored `mentions` webhook notification, read with `mentioned_media.media_id(...)` */
  z.object({ task: z.literal('mention'), mentionId: z.string().min(1).max(200) }),
  /** a brand's tagged media read in full, to find posts of signed-up influencers */
  z.object({ task: z.literal('tags'), brandId: z.string().min(1).max(64) }),
  /** a brand's long-lived token renewed with the `fb_exchange_token` grant */
  z.object({ task: z.literal('renew'), brandId: z.string().min(1).max(64) }),
]);
export type InstagramJob = z.infer<typeof instagramJob>;

/** The periodic sweep: due checks, tagged media, token renewals (and anything a lost job left behind). */
export const instagramSweepJob = z.object({}).passthrough();
