import { z } from 'zod';
import { STATUSES } from '../influencer/status.js';
import { statusChangeEvent } from '../events/status-change.schema.js';
import { reminderSettingsRequest, reminderSettingsResponse } from './reminders.schema.js';
import { attributionSummaryResponse, influencerAttributionResponse } from '../attribution/report-schema.js';
import { reimbursementSettingsRequest, reimbursementSettingsResponse } from '../money/settings.schema.js';
import { reimbursementBriefResponse, reimbursementSummaryResponse } from '../money/api.schema.js';
import { verificationField } from '../instagram/account.schema.js';

const httpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).max(2048);
/** Where tracked links redirect: the host allow-list is the operator's, so the API checks it after parsing. */
const redirectUrl = httpUrl.describe(
  "https URL on an Amazon retail host or a host in the operator's ALLOWED_REDIRECT_HOSTS; no user-info, no port",
);
const tag = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .transform((t) => t.replace(/^[#@]/, '').toLowerCase())
  .refine((t) => /^[\p{L}\p{N}_.]+$/u.test(t), 'must be a single hashtag or handle without spaces');

export const brandCreateRequest = z.strictObject({ name: z.string().trim().min(1).max(120) });

export const campaignCreateRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  productUrl: redirectUrl,
  reviewUrl: redirectUrl,
  amazonAttributionUrl: httpUrl.optional(),
  requirements: z
    .strictObject({ hashtags: z.array(tag).max(30).optional(), mentions: z.array(tag).max(30).optional() })
    .optional(),
  reminders: reminderSettingsRequest.optional(),
  reimbursement: reimbursementSettingsRequest.optional(),
});
export type CampaignCreateRequest = z.infer<typeof campaignCreateRequest>;

export const CAMPAIGN_STATES = ['active', 'paused', 'ended'] as const;
/** Any subset of the create fields, plus `state`; `amazonAttributionUrl: null` removes the URL. */
export const campaignUpdateRequest = campaignCreateRequest
  .partial()
  .extend({ amazonAttributionUrl: httpUrl.nullable().optional(), state: z.enum(CAMPAIGN_STATES).optional() })
  .refine((v) => Object.keys(v).length > 0, 'give at least one field to change');
export type CampaignUpdateRequest = z.infer<typeof campaignUpdateRequest>;

export const influencerListQuery = z.strictObject({
  status: z.enum(STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
  q: z
    .string()
    .trim()
    .max(31)
    .transform((v) => v.replace(/^@/, '').toLowerCase())
    .optional()
    .describe('handle prefix, case-insensitive; a leading @ is ignored'),
});
export type InfluencerListQuery = z.infer<typeof influencerListQuery>;

/** A live-stream entry id (`<ms>-<seq>`), as sent in each event's `id:` and resumed from with `Last-Event-ID`. */
export const liveEventId = z
  .string()
  .max(40)
  .regex(/^\d{1,20}-\d{1,20}$/, 'must be an event id received from this stream');
export const streamQuery = z.strictObject({
  lastEventId: liveEventId
    .optional()
    .describe('alternative to the Last-Event-ID header, for clients that cannot set headers'),
});

// Responses. Presenters are checked against these at compile time and /openapi.json is generated from them.
const isoTime = z.iso.datetime();
const nullableTime = isoTime.nullable();
const statusEnum = z.enum(STATUSES);

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .union([
        z.array(z.object({ path: z.string(), message: z.string() })),
        z.object({ budgetLeft: z.string() }).describe('over_budget: what may still be approved'),
        z
          .object({ disabledReason: z.enum(['gone', 'failing']).nullable() })
          .describe('endpoint_disabled: why the endpoint was disabled (null: by the brand)'),
      ])
      .optional(),
  }),
});

export const brandCreatedResponse = z.object({
  id: z.string(),
  name: z.string(),
  apiKey: z.string().describe('shown once: only its hash is stored'),
  createdAt: isoTime,
});

export const campaignResponse = z.object({
  id: z.string(),
  name: z.string(),
  productUrl: z.string(),
  reviewUrl: z.string(),
  amazonAttributionUrl: z.string().nullable(),
  requirements: z.object({ hashtags: z.array(z.string()), mentions: z.array(z.string()) }),
  reminders: reminderSettingsResponse,
  state: z.enum(CAMPAIGN_STATES),
  reimbursement: reimbursementSettingsResponse.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export const campaignListResponse = z.object({ items: z.array(campaignResponse) });

export const influencerItemResponse = z.object({
  id: z.string(),
  instagramHandle: z.string().nullable(),
  status: statusEnum,
  statusLabel: z.string(),
  signedUpAt: nullableTime,
  purchasedAt: nullableTime,
  doneAt: nullableTime,
  followedUpAt: nullableTime,
  purchaseClicks: z.number().int(),
  reviewClicks: z.number().int(),
  botClicks: z.number().int().describe('bot and link-preview fetches: counted, never move a status'),
  remindersSent: z.number().int(),
  unsubscribedAt: nullableTime.describe("when the influencer unsubscribed from this campaign's reminders"),
  attribution: influencerAttributionResponse.nullable(),
  reimbursement: reimbursementBriefResponse.nullable(),
  verification: verificationField.describe(
    'the shown post on Instagram: verified, unverified (no account connected: the typed caption decided), pending (waiting for Instagram), removed (gone at a re-check), or null (no accepted post)',
  ),
});
export const influencerPageResponse = z.object({
  items: z.array(influencerItemResponse),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
});
export const influencerDetailResponse = influencerItemResponse.extend({
  email: z.string().nullable(),
  timezone: z.string().nullable(),
  submission: z
    .object({
      id: z.string(),
      postUrl: z.string(),
      caption: z.string().nullable(),
      accepted: z.boolean(),
      reasons: z.array(z.string()),
      at: nullableTime,
      verification: verificationField,
      source: z.enum(['form', 'instagram']).describe('`instagram`: found on Instagram without a submission'),
      media: z
        .object({ id: z.string(), permalink: z.string(), username: z.string(), foundVia: z.string() })
        .nullable()
        .describe('the Instagram media the post was matched with'),
      removedAt: nullableTime,
    })
    .nullable(),
  timeline: z.array(z.object({ at: nullableTime, type: z.string(), detail: z.string(), source: z.string() })),
  timelineClicksOmitted: z
    .number()
    .int()
    .describe(
      'clicks older than the latest 500 left out of `timeline` (every other entry is in it); the counters count them',
    ),
});

export const summaryResponse = z.object({
  campaignId: z.string(),
  total: z.number().int(),
  stages: z.object({
    signed_up: z.number().int(),
    purchased: z.number().int(),
    done: z.number().int(),
    followed_up: z.number().int(),
  }),
  estimatedPurchases: z.number().int().describe('influencers with at least one human purchase-link click'),
  attribution: attributionSummaryResponse.nullable(),
  reimbursements: reimbursementSummaryResponse.describe('null when the campaign reimburses nothing'),
  budgetLeft: z.string().nullable().describe('what may still be approved; null without a budget limit'),
  postsRemoved: z.number().int().describe('accepted posts a re-check found removed from Instagram (status stays done)'),
  asOf: isoTime,
});

/** `data` of an `event: status` server-sent event. */
export const liveStatusEvent = statusChangeEvent;
