import { z } from 'zod';
import { STATUSES } from '../influencer/status.js';

const httpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2048);
const tag = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((t) => t.replace(/^[#@]/, '').toLowerCase())
  .refine((t) => /^[\p{L}\p{N}_.]+$/u.test(t), 'must be a single hashtag or handle without spaces');

const reminderPolicy = z.strictObject({
  firstAfterSeconds: z.number().int().min(1).max(365 * 24 * 3600),
  everySeconds: z.number().int().min(1).max(365 * 24 * 3600),
  max: z.number().int().min(0).max(20),
});

export const brandCreateRequest = z.strictObject({ name: z.string().trim().min(1).max(120) });

export const campaignCreateRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  productUrl: httpUrl,
  reviewUrl: httpUrl,
  amazonAttributionUrl: httpUrl.optional(),
  requirements: z
    .strictObject({ hashtags: z.array(tag).max(30).optional(), mentions: z.array(tag).max(30).optional() })
    .optional(),
  reminders: z
    .strictObject({ purchase: reminderPolicy.optional(), review: reminderPolicy.optional() })
    .optional(),
});
export type CampaignCreateRequest = z.infer<typeof campaignCreateRequest>;

export const CAMPAIGN_STATES = ['active', 'paused', 'ended'] as const;
export const campaignUpdateRequest = campaignCreateRequest
  .partial()
  .extend({ state: z.enum(CAMPAIGN_STATES).optional() })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type CampaignUpdateRequest = z.infer<typeof campaignUpdateRequest>;

export const influencerListQuery = z.strictObject({
  status: z.enum(STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  q: z.string().trim().max(31).optional(),
});
export type InfluencerListQuery = z.infer<typeof influencerListQuery>;

const count = z.coerce.number().int().min(0);
export const attributionRow = z.strictObject({
  date: z.iso.date(),
  clicks: count,
  detailPageViews: count,
  addToCarts: count,
  purchases: count,
  unitsSold: count,
  sales: z.coerce.number().min(0),
});
export type AttributionRow = z.infer<typeof attributionRow>;
export const attributionUpload = z.strictObject({ rows: z.array(attributionRow).min(1).max(5000) });
