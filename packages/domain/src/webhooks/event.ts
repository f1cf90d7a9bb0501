import { z } from 'zod';
import { objectId } from '../events/common.js';
import { STATUSES } from '../influencer/status.js';
import { REIMBURSEMENT_STATES } from '../money/state.js';

/** Every event a brand's endpoint can subscribe to (`ping` is sent by `POST .../test` only). */
export const WEBHOOK_EVENT_TYPES = [
  'influencer.signed_up',
  'influencer.status_changed',
  'submission.rejected',
  'reminder.sent',
  'reminder.failed',
  'attribution.report_uploaded',
  'reimbursement.updated',
] as const;
export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof webhookEventType>;
export type WebhookMessageType = WebhookEventType | 'ping';

/**
 * A message id (`webhook-id`): the same on every attempt, so receivers drop duplicates by it. Never a `.`
 * (it delimits the signed content), and it ends up in BullMQ job ids, so no `:` either.
 */
export const webhookMessageId = z
  .string()
  .min(5)
  .max(160)
  .regex(/^msg_[A-Za-z0-9_-]+$/, 'must be msg_ followed by letters, digits, `_` or `-`');

const influencerRef = {
  influencerId: objectId,
  campaignId: objectId,
  instagramHandle: z.string().nullable(),
};
const at = z.iso.datetime({ offset: true });

/** `data` of each event type, without the `sequence` the fan-out adds. */
export const WEBHOOK_EVENT_DATA = {
  'influencer.signed_up': z.object({ ...influencerRef, signedUpAt: at }),
  'influencer.status_changed': z.object({
    ...influencerRef,
    from: z.enum(STATUSES),
    to: z.enum(STATUSES),
    at,
    /** what moved it: `status model (click)`, `status model (submission)`, `recount`, … */
    source: z.string().max(200),
  }),
  'submission.rejected': z.object({
    ...influencerRef,
    submissionId: z.string().max(200),
    postUrl: z.string().max(2048).nullable(),
    reasons: z.array(z.string().max(500)).max(50),
  }),
  'reminder.sent': z.object({
    ...influencerRef,
    reminderId: z.string().max(200),
    stage: z.enum(['purchase', 'review']),
    number: z.number().int().min(1),
    /** the channels that delivered it (`email`, `webhook`) */
    channels: z.array(z.string().max(50)).max(10),
    sentAt: at,
  }),
  'reminder.failed': z.object({
    ...influencerRef,
    reminderId: z.string().max(200),
    stage: z.enum(['purchase', 'review']),
    number: z.number().int().min(1),
    reason: z.string().max(1000),
    failedAt: at,
  }),
  'attribution.report_uploaded': z.object({
    campaignId: objectId,
    rows: z.number().int().min(0),
    /** stored rows an earlier upload held that this one replaced */
    replaced: z.number().int().min(0),
    reportedFrom: z.iso.date().nullable(),
    reportedThrough: z.iso.date().nullable(),
    uploadedAt: at,
  }),
  'reimbursement.updated': z.object({
    ...influencerRef,
    reimbursementId: z.string().max(200),
    /** the state before the move; null for the move that created the reimbursement */
    from: z.enum(REIMBURSEMENT_STATES).nullable(),
    state: z.enum(REIMBURSEMENT_STATES),
    reason: z.string().max(1000).nullable(),
    /** decimal string in the currency's minor digits; null before the amount is known (awaiting proof) */
    amount: z
      .string()
      .regex(/^\d+(?:\.\d+)?$/, 'a decimal string')
      .nullable(),
    currency: z.string().length(3),
    at,
  }),
} as const satisfies Record<WebhookEventType, z.ZodObject>;

/**
 * An event as its source records it (the job the fan-out receives): one per fact, with its stable id. The
 * fan-out gives it a sequence (per influencer, or per campaign for campaign-wide events) and one delivery per
 * subscribed endpoint of the brand.
 */
const draftOf = <T extends WebhookEventType>(type: T) =>
  z.object({
    id: webhookMessageId,
    type: z.literal(type),
    brandId: objectId,
    occurredAt: at,
    data: WEBHOOK_EVENT_DATA[type],
  });
export const webhookEventDraft = z.discriminatedUnion('type', [
  draftOf('influencer.signed_up'),
  draftOf('influencer.status_changed'),
  draftOf('submission.rejected'),
  draftOf('reminder.sent'),
  draftOf('reminder.failed'),
  draftOf('attribution.report_uploaded'),
  draftOf('reimbursement.updated'),
]);
export type WebhookEventDraft = z.infer<typeof webhookEventDraft>;

/**
 * What an event's `sequence` orders it within: its influencer, or its campaign for campaign-wide events. The
 * fan-out numbers the events of one key in the order their facts were recorded (KeyOrder).
 */
export function sequenceKey(draft: WebhookEventDraft): string {
  return 'influencerId' in draft.data ? `i-${draft.data.influencerId}` : `c-${draft.data.campaignId}`;
}

/**
 * The counter an event takes its `sequence` from: one per brand, so numbers increase per influencer and per
 * campaign (every key of the brand) while a fan-out writes one counter per brand, not one per influencer.
 */
export function sequenceCounter(draft: WebhookEventDraft): string {
  return `b-${draft.brandId}`;
}

/** The body POSTed: `{type, timestamp, data}` (the spec's recommended shape), serialised once and stored. */
export function webhookBody(type: WebhookMessageType, occurredAt: string, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: occurredAt, data });
}

/** Builds a stable message id from the parts that identify the fact (never random: retries reuse it). */
export function webhookMessageIdFor(...parts: string[]): string {
  return `msg_${parts.map((p) => p.replace(/[^A-Za-z0-9_-]/g, '_')).join('-')}`.slice(0, 160);
}

/** Whether an endpoint subscribed to `events` (empty: every event) receives this type. */
export function endpointWants(events: readonly string[], type: WebhookMessageType): boolean {
  return type === 'ping' || events.length === 0 || events.includes(type);
}
