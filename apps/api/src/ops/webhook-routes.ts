import { z } from 'zod';
import {
  webhookDeliveriesQuery,
  webhookDeliveryPageResponse,
  webhookEndpointCreatedResponse,
  webhookEndpointCreateRequest,
  webhookEndpointListResponse,
  webhookEndpointResponse,
  webhookEndpointUpdateRequest,
  webhookRecoverRequest,
  webhookRecoverResponse,
  webhookSecretResponse,
} from '@seedline/domain';

const BASE = '/v1/webhook-endpoints';
const base = { server: 'api', tag: 'Webhooks', security: 'brand' } as const;
const endpoint = { 200: { description: 'the endpoint', schema: webhookEndpointResponse } };
const accepted = (what: string, schema: z.ZodType) => ({ 202: { description: what, schema } });
/** What the routes that send say of a disabled endpoint. */
const DISABLED =
  'A disabled endpoint answers `409 endpoint_disabled` (`details.disabledReason`): enable it first ' +
  '(PATCH `{"enabled": true}`).';

/** The brand webhook routes of the catalogue (Standard Webhooks; see the README's "Webhooks to brands"). */
export const WEBHOOK_ROUTES = [
  {
    ...base,
    method: 'post',
    path: BASE,
    conflicts: true,
    summary: 'Add a webhook endpoint',
    description:
      'The URL must be `https` and resolve only to global addresses (checked now and again at every connection); ' +
      'redirects are never followed. `secret` (`whsec_` + base64 of 32 random bytes) is shown only here: deliveries ' +
      'carry `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of ' +
      '`id.timestamp.body`), verifiable with the Standard Webhooks libraries; it is stored sealed under `DATA_KEY`. ' +
      'Events (`events`, empty or absent: all): `influencer.signed_up`, `influencer.status_changed`, ' +
      '`submission.rejected`, `reminder.sent`, `reminder.failed`, `attribution.report_uploaded`, ' +
      '`reimbursement.updated`; one per POST, body `{type, timestamp, data}` with `data.sequence` increasing per ' +
      'influencer and a `webhook-id` derived from the fact (the same fact never arrives under two ids). Payloads: ' +
      'the README, "Webhooks to brands". At most 20 endpoints per brand.',
    body: { schema: webhookEndpointCreateRequest, limit: '64kb' },
    responses: {
      201: { description: 'created', schema: webhookEndpointCreatedResponse, headers: { Location: 'the endpoint' } },
    },
  },
  {
    ...base,
    method: 'get',
    path: BASE,
    summary: "List the brand's webhook endpoints",
    responses: { 200: { description: 'oldest first', schema: webhookEndpointListResponse } },
  },
  { ...base, method: 'get', path: `${BASE}/:endpointId`, summary: 'Read a webhook endpoint', responses: endpoint },
  {
    ...base,
    method: 'patch',
    path: `${BASE}/:endpointId`,
    summary: 'Change a webhook endpoint',
    description: '`enabled: true` re-enables an endpoint disabled after failures or a 410; `false` pauses it.',
    body: { schema: webhookEndpointUpdateRequest, limit: '64kb' },
    responses: endpoint,
  },
  {
    ...base,
    method: 'delete',
    path: `${BASE}/:endpointId`,
    summary: 'Delete a webhook endpoint',
    responses: { 204: { description: 'deleted; its pending deliveries are dropped' } },
  },
  {
    ...base,
    method: 'post',
    path: `${BASE}/:endpointId/rotate-secret`,
    summary: "Replace the endpoint's secret",
    description:
      'The new secret is shown once; the previous one keeps signing beside it (two signatures in ' +
      '`webhook-signature`) for `WEBHOOK_SECRET_OVERLAP_SECONDS` (24 h by default).',
    responses: { 200: { description: 'the new secret', schema: webhookSecretResponse } },
  },
  {
    ...base,
    method: 'post',
    path: `${BASE}/:endpointId/test`,
    conflicts: true,
    summary: 'Send a `ping` event to the endpoint',
    description: DISABLED,
    responses: accepted('queued', z.object({ deliveryId: z.string(), messageId: z.string() })),
  },
  {
    ...base,
    method: 'get',
    path: `${BASE}/:endpointId/deliveries`,
    summary: "The endpoint's deliveries, newest first, with every attempt",
    query: webhookDeliveriesQuery,
    responses: { 200: { description: 'a page', schema: webhookDeliveryPageResponse } },
  },
  {
    ...base,
    method: 'post',
    path: `${BASE}/:endpointId/deliveries/:deliveryId/retry`,
    conflicts: true,
    summary: 'Send a finished delivery again (a new run of the retry schedule, the same webhook-id)',
    description: `${DISABLED} A delivery still being attempted answers \`409 delivery_pending\`.`,
    responses: accepted('queued', z.object({ deliveryId: z.string() })),
  },
  {
    ...base,
    method: 'post',
    path: `${BASE}/:endpointId/recover`,
    conflicts: true,
    summary: 'Send again every failed delivery created since a time',
    description: DISABLED,
    body: { schema: webhookRecoverRequest, limit: '64kb' },
    responses: accepted('how many were queued', webhookRecoverResponse),
  },
] as const;
