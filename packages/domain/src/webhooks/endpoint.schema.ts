import { z } from 'zod';
import { webhookEventType } from './event.js';

/** Request and response shapes of `/v1/webhook-endpoints` (the URL's safety is checked by the api, not here). */
const url = z.string().trim().min(1).max(2048).describe('https URL that receives the POSTs');
const events = z
  .array(webhookEventType)
  .max(20)
  .refine((a) => new Set(a).size === a.length, 'must not repeat an event type')
  .describe('event types to receive; empty or absent: all of them');
const description = z.string().max(500);

export const webhookEndpointCreateRequest = z.strictObject({
  url,
  events: events.optional(),
  description: description.optional(),
});
export type WebhookEndpointCreateRequest = z.infer<typeof webhookEndpointCreateRequest>;

export const webhookEndpointUpdateRequest = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  description: description.nullable().optional(),
  /** `true` re-enables an endpoint disabled by failures or a 410 */
  enabled: z.boolean().optional(),
});
export type WebhookEndpointUpdateRequest = z.infer<typeof webhookEndpointUpdateRequest>;

export const webhookEndpointResponse = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable().describe('`gone` (the receiver answered 410), `failing`, or null'),
  failingSince: z.string().nullable().describe('first failure of the current run of failures'),
  createdAt: z.string(),
});
export const webhookEndpointCreatedResponse = webhookEndpointResponse.extend({
  secret: z.string().describe('`whsec_…`, shown once: verify deliveries with it'),
});
export const webhookEndpointListResponse = z.object({ items: z.array(webhookEndpointResponse) });
export const webhookSecretResponse = z.object({
  secret: z.string(),
  previousSecretExpiresAt: z.string().describe('until then deliveries carry a signature with each secret'),
});

export const WEBHOOK_DELIVERY_STATES = ['pending', 'succeeded', 'failed'] as const;
export const webhookDeliveriesQuery = z.strictObject({
  status: z.enum(WEBHOOK_DELIVERY_STATES).optional(),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const webhookAttemptResponse = z.object({
  at: z.string(),
  status: z.number().nullable().describe("the receiver's HTTP status; null when none came (refused, error, timeout)"),
  durationMs: z.number(),
  response: z.string().describe('the first 1 KiB of the answer'),
  error: z.string().nullable(),
});
export const webhookDeliveryResponse = z.object({
  id: z.string(),
  messageId: z.string().describe('`webhook-id`'),
  type: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATES),
  attempts: z.array(webhookAttemptResponse),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export const webhookDeliveryPageResponse = z.object({
  items: z.array(webhookDeliveryResponse),
  nextCursor: z.string().nullable(),
});
export const webhookRecoverRequest = z.strictObject({ since: z.iso.datetime({ offset: true }) });
export const webhookRecoverResponse = z.object({ requeued: z.number() });
