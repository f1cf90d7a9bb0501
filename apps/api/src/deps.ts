import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Repositories } from '@seedline/db';
import type { DataKey } from '@seedline/domain';
import type { BlockedHandles, GraphClient, Queues, WebhookEvents } from '@seedline/runtime';
import type { ApiConfig } from './config.js';
import type { ApiMetrics } from './ops/metrics.js';
import type { LiveFeeds } from './stream/live-feeds.js';
import type { LiveHub } from './stream/live-hub.js';
import type { CampaignSummary } from './summary/campaign-summary.js';

/** What the API's routes are given: a module of its own, so routes import it from below and never from app.ts. */
export interface ApiDeps {
  config: ApiConfig;
  logger: Logger;
  repos: Repositories;
  /** a non-blocking client connection (health, reads) */
  redis: Redis;
  queues: Queues;
  live: { hub: LiveHub; feeds: LiveFeeds };
  metrics: ApiMetrics;
  summaries: (campaignId: string) => Promise<CampaignSummary>;
  /** handles each brand refuses: written by returns uploads, read by the ingest's sign-ups */
  blocked: BlockedHandles;
  /** the brand webhooks of what the api records (uploads; reimbursement moves come through the repositories) */
  webhooks: WebhookEvents;
  /** Graph API access for connecting accounts; null when Instagram is not configured */
  instagram: { graph: GraphClient; dataKey: DataKey } | null;
}
