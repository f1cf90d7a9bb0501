/**
 * The API's response shapes, taken from the schemas the API itself publishes in /openapi.json: a change to the
 * API's responses fails the dashboard's build instead of breaking it in a browser. Type-only: nothing of
 * `@seedline/domain` or zod is loaded by the page.
 */
import type { z } from 'zod';
import type {
  campaignResponse,
  influencerDetailResponse,
  influencerItemResponse,
  influencerPageResponse,
  liveStatusEvent,
  reimbursementBulkApproveResponse,
  reimbursementItemResponse,
  reimbursementPageResponse,
  reminderPreviewResponse,
  statementListResponse,
  statementResponse,
  summaryResponse,
  webhookDeliveryPageResponse,
  webhookEndpointListResponse,
} from '@seedline/domain';

export type Campaign = z.infer<typeof campaignResponse>;
export type Summary = z.infer<typeof summaryResponse>;
export type Status = keyof Summary['stages'];
export type InfluencerItem = z.infer<typeof influencerItemResponse>;
export type InfluencerPage = z.infer<typeof influencerPageResponse>;
export type InfluencerDetail = z.infer<typeof influencerDetailResponse>;
export type TimelineEntry = InfluencerDetail['timeline'][number];
/** `event: status` on the campaign stream */
export type StatusEvent = z.infer<typeof liveStatusEvent>;
export type ReminderPreview = z.infer<typeof reminderPreviewResponse>;
export type ReimbursementItem = z.infer<typeof reimbursementItemResponse>;
export type ReimbursementState = ReimbursementItem['state'];
export type ReimbursementPage = z.infer<typeof reimbursementPageResponse>;
export type BulkApproveResult = z.infer<typeof reimbursementBulkApproveResponse>;
export type WebhookEndpoint = z.infer<typeof webhookEndpointListResponse>['items'][number];
export type WebhookDeliveryPage = z.infer<typeof webhookDeliveryPageResponse>;
export type WebhookDelivery = WebhookDeliveryPage['items'][number];
export type StatementList = z.infer<typeof statementListResponse>;
export type StatementSummary = StatementList['items'][number];
export type Statement = z.infer<typeof statementResponse>;
