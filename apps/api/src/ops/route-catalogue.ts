import { z } from 'zod';
import {
  brandAdminResponse,
  brandAdminUpdateRequest,
  brandCreatedResponse,
  brandCreateRequest,
  campaignCreateRequest,
  campaignListResponse,
  campaignResponse,
  campaignUpdateRequest,
  influencerDetailResponse,
  influencerListQuery,
  influencerPageResponse,
  liveStatusEvent,
  streamQuery,
  summaryResponse,
} from '@seedline/domain';
import { ATTRIBUTION_ROUTES } from './attribution-routes.js';
import { BRAND_ROUTES } from './brand-routes.js';
import { STATEMENT_ROUTES } from './statement-routes.js';
import { AMAZON_REPORT_ROUTES } from './amazon-report-routes.js';
import { INGEST_ROUTES } from './ingest-routes.js';
import { REIMBURSEMENT_ROUTES } from './reimbursement-routes.js';
import { REMINDER_API_ROUTES } from './reminder-routes.js';
import { INSTAGRAM_ROUTES } from './instagram-routes.js';
import { WEBHOOK_ROUTES } from './webhook-routes.js';

export type Security = 'none' | 'brand' | 'admin' | 'ingest';
export type Server = 'api' | 'ingest';

export interface RouteResponse {
  description: string;
  /** JSON body schema; other media types give `content` */
  schema?: z.ZodType;
  content?: { type: string; example?: string };
  headers?: Record<string, string>;
}

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path syntax (`:id`) */
  path: string;
  server: Server;
  tag: string;
  summary: string;
  description?: string;
  security: Security;
  query?: z.ZodObject;
  /** `schema`: a JSON body; `csv`: also CSV; `text`: a file uploaded as is, in these media types */
  body?: { schema?: z.ZodType; csv?: string; text?: { types: readonly string[]; example: string }; limit: string };
  headers?: readonly { name: string; description: string }[];
  responses: Record<number, RouteResponse>;
  /** the route answers `409` when the resource's state refuses the request (its description says which codes) */
  conflicts?: true;
  /** an upload that takes turns: `503 uploads_busy` with `Retry-After` when too many wait (see uploadGate) */
  takesTurns?: true;
  /** error statuses beyond those the route's shape implies (an ingest route's 404, an admin route's 429) */
  alsoErrors?: readonly number[];
}

const campaignIdParam = { id: 'campaign id (24 hex characters)' } as const;
const textPlain = (example?: string) => ({ type: 'text/plain', ...(example ? { example } : {}) });
const html = { type: 'text/html' };

const SSE_DESCRIPTION = [
  'Server-sent events (`text/event-stream`). On connect: `retry: 2000`, then `event: summary` with the current summary',
  '(the same JSON as `GET /summary`). Each status change: `id: <entry id>`, `event: status`, `data:` a StatusEvent. After',
  'status changes, and after whatever else moves the summary (a new sign-up, an attribution upload, a reimbursement',
  'move), at most about four times a second per campaign: `event: summary` with the `id` of the latest status',
  'entry. A `: ping` comment keeps the connection alive (every 15 s by default). Reconnect with the `Last-Event-ID` header',
  '(or `?lastEventId=`) to receive the status changes missed since that id; the stream keeps about 10,000 per campaign.',
].join(' ');

/**
 * Every route the API serves (and those of the ingest app, on their own server), with the zod schemas that
 * validate them. `/openapi.json` and `/docs` are generated from this list, and a test checks it against the
 * routes Express actually registered.
 */
export const ROUTES: RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/brands',
    server: 'api',
    tag: 'Admin',
    summary: 'Create a brand and its API key',
    description: 'The API key is shown once, in this response; only its SHA-256 hash is stored.',
    security: 'admin',
    body: { schema: brandCreateRequest, limit: '64kb' },
    responses: { 201: { description: 'created', schema: brandCreatedResponse } },
  },
  {
    method: 'patch',
    path: '/v1/brands/:id',
    server: 'api',
    tag: 'Admin',
    summary: "Set how a brand's influencers are paid",
    description:
      '`payoutProvider: "manual"`: the brand\'s finance team pays (payouts.csv, then `POST …/reimbursements/:rid/paid`), ' +
      "whatever the operator's `PAYOUT_PROVIDER`; `paypal` (the default): the operator's provider pays. A payout " +
      'already under way is followed to its end.',
    security: 'admin',
    body: { schema: brandAdminUpdateRequest, limit: '64kb' },
    responses: { 200: { description: 'the brand', schema: brandAdminResponse } },
  },
  {
    method: 'post',
    path: '/v1/campaigns',
    server: 'api',
    tag: 'Campaigns',
    summary: 'Create a campaign',
    security: 'brand',
    body: { schema: campaignCreateRequest, limit: '256kb' },
    responses: { 201: { description: 'created', schema: campaignResponse, headers: { Location: 'the new campaign' } } },
  },
  {
    method: 'get',
    path: '/v1/campaigns',
    server: 'api',
    tag: 'Campaigns',
    summary: "List the brand's campaigns",
    security: 'brand',
    responses: { 200: { description: 'oldest first', schema: campaignListResponse } },
  },
  {
    method: 'get',
    path: '/v1/campaigns/:id',
    server: 'api',
    tag: 'Campaigns',
    summary: 'Read a campaign',
    security: 'brand',
    responses: { 200: { description: 'the campaign', schema: campaignResponse } },
  },
  {
    method: 'patch',
    path: '/v1/campaigns/:id',
    server: 'api',
    tag: 'Campaigns',
    summary: 'Update a campaign',
    description:
      'Any subset of the create fields, plus `state` (`active`, `paused`, `ended`). `requirements` and `reminders` merge ' +
      'per key (`hashtags`, `mentions`; `purchase`, `review`, `channels`, `replyTo`, and each template part); a template ' +
      'stage set to null goes back to the defaults; `amazonAttributionUrl: null` removes it. An ended campaign ' +
      'takes no new sign-ups; tracked links keep redirecting. The ingest app caches campaigns for up to 30 s.',
    security: 'brand',
    body: { schema: campaignUpdateRequest, limit: '256kb' },
    responses: { 200: { description: 'the updated campaign', schema: campaignResponse } },
  },
  ...REMINDER_API_ROUTES,
  ...BRAND_ROUTES,
  ...WEBHOOK_ROUTES,
  ...STATEMENT_ROUTES,
  ...AMAZON_REPORT_ROUTES,
  {
    method: 'get',
    path: '/v1/campaigns/:id/summary',
    server: 'api',
    tag: 'Influencers',
    summary: 'Counts per stage, purchase estimate and Amazon Attribution',
    description:
      '`stages` counts influencers by current status with the same filter as the list, so it always equals what the ' +
      'list and the CSV show. `estimatedPurchases` counts influencers with a human purchase-link click. `attribution` is ' +
      'null until the brand uploads Amazon Attribution rows.',
    security: 'brand',
    responses: { 200: { description: 'the summary', schema: summaryResponse } },
  },
  {
    method: 'get',
    path: '/v1/campaigns/:id/influencers',
    server: 'api',
    tag: 'Influencers',
    summary: 'List influencers (cursor pagination)',
    description:
      'Ordered by handle (unique in a campaign), so pages are stable while influencers join. Filter by `status`, search by ' +
      'handle prefix with `q`. Pass `nextCursor` as `cursor` for the next page, with the same filters.',
    security: 'brand',
    query: influencerListQuery,
    responses: { 200: { description: 'one page', schema: influencerPageResponse } },
  },
  {
    method: 'get',
    path: '/v1/campaigns/:id/influencers.csv',
    server: 'api',
    tag: 'Influencers',
    summary: 'Export influencers as CSV',
    description:
      'The rows of the list (same order, same `status` and `q` filters) streamed as CSV with a header row; values that ' +
      "a spreadsheet would run as a formula are prefixed with `'`.",
    security: 'brand',
    query: influencerListQuery.omit({ limit: true, cursor: true }),
    responses: {
      200: {
        description: 'CSV, streamed',
        content: {
          type: 'text/csv',
          example:
            'id,instagramHandle,status,statusLabel,signedUpAt,purchasedAt,doneAt,followedUpAt,purchaseClicks,reviewClicks,remindersSent',
        },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/campaigns/:id/influencers/:influencerId',
    server: 'api',
    tag: 'Influencers',
    summary: 'An influencer with submission and timeline',
    description:
      'The timeline lists every status change, click, submission verdict and reminder with its source, oldest first.',
    security: 'brand',
    responses: { 200: { description: 'the influencer', schema: influencerDetailResponse } },
  },
  ...ATTRIBUTION_ROUTES,
  {
    method: 'get',
    path: '/v1/campaigns/:id/stream',
    server: 'api',
    tag: 'Live',
    summary: 'Live status changes and summaries (server-sent events)',
    description: SSE_DESCRIPTION,
    security: 'brand',
    query: streamQuery,
    headers: [{ name: 'Last-Event-ID', description: 'the `id` of the last event received, to resume after it' }],
    responses: {
      200: {
        description: 'an open event stream; StatusEvent is the `data` of `event: status`',
        content: {
          type: 'text/event-stream',
          example:
            'retry: 2000\n\nevent: summary\ndata: {...}\n\nid: 1718000000000-0\nevent: status\ndata: {"influencerId":"...","instagramHandle":"jane","from":"signed_up","status":"purchased","at":"..."}\n\n',
        },
      },
    },
  },
  {
    method: 'get',
    path: '/healthz',
    server: 'api',
    tag: 'Ops',
    summary: 'Liveness',
    security: 'none',
    responses: { 200: { description: 'the process runs', schema: z.object({ ok: z.literal(true) }) } },
  },
  {
    method: 'get',
    path: '/readyz',
    server: 'api',
    tag: 'Ops',
    summary: 'Readiness: Redis and MongoDB answer a ping',
    security: 'none',
    responses: {
      200: { description: 'both reachable', schema: z.object({ redis: z.boolean(), mongo: z.boolean() }) },
      503: { description: 'one of them is not', schema: z.object({ redis: z.boolean(), mongo: z.boolean() }) },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    server: 'api',
    tag: 'Ops',
    summary: 'Prometheus metrics',
    description:
      'HTTP latency by route, queue depths per state, job durations and outcomes, events processed, reminders sent, ' +
      'open live streams, process metrics. Job counters cover what finished since this process started, in every ' +
      "queue but the brand webhooks' (`webhook-events`, `webhook-deliveries`: their depths only; each delivery's " +
      'attempts are in its log).',
    security: 'none',
    responses: {
      200: {
        description: 'Prometheus text format',
        content: textPlain('seedline_queue_jobs{queue="clicks",state="waiting"} 0'),
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    server: 'api',
    tag: 'Ops',
    summary: 'This OpenAPI document',
    security: 'none',
    responses: { 200: { description: 'OpenAPI 3.1', content: { type: 'application/json' } } },
  },
  {
    method: 'get',
    path: '/docs',
    server: 'api',
    tag: 'Ops',
    summary: 'Readable API reference (this document as HTML)',
    security: 'none',
    responses: { 200: { description: 'HTML', content: html } },
  },
  {
    method: 'get',
    path: '/admin/queues',
    server: 'api',
    tag: 'Ops',
    summary: 'Bull Board: every queue, its jobs and their state',
    description:
      'HTTP Basic (any user name, `$ADMIN_TOKEN` as the password) or Bearer. Its pages, assets and JSON API live under this path.',
    security: 'admin',
    responses: { 200: { description: 'HTML', content: html } },
  },
  {
    method: 'get',
    path: '/dashboard',
    server: 'api',
    tag: 'Ops',
    summary: 'Reference brand dashboard',
    description:
      'Summary per stage, the influencers list and live updates; the page asks for the API key and keeps it in the tab.',
    security: 'none',
    responses: { 200: { description: 'HTML', content: html } },
  },
  ...INSTAGRAM_ROUTES,
  ...REIMBURSEMENT_ROUTES,
  ...INGEST_ROUTES,
];

/** Path parameter descriptions by name. */
export const PATH_PARAMS: Record<string, string> = {
  ...campaignIdParam,
  influencerId: 'influencer id (24 hex characters)',
  rid: "reimbursement id (24 hex characters; the influencer's id)",
  token: 'signed link or unsubscribe token',
  endpointId: 'webhook endpoint id (24 hex characters)',
  deliveryId: 'delivery id (`<endpoint id>-<webhook-id>`)',
  week: 'ISO week, e.g. 2026-W49',
};

/** Extra named schemas published under components. */
export const EXTRA_SCHEMAS: Record<string, z.ZodType> = { StatusEvent: liveStatusEvent };
