import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CampaignCache } from '@seedline/db';
import type { LinkKeyring } from '@seedline/domain';
import type { BlockedHandles } from '@seedline/runtime';
import type { IpHasher } from './clicks/ip-hasher.js';
import type { TokenVerifier } from './clicks/token-verifier.js';
import type { IngestConfig } from './config.js';
import type { EventSink } from './enqueue/event-sink.js';

// What the ingest's routes are given: a module of its own, so routes import it from below and never from app.ts.
export interface IngestMetrics {
  clicks: { human: number; bot: number };
  lost: number;
}

export interface IngestDeps {
  config: IngestConfig;
  logger: Logger;
  redis: Redis;
  sink: EventSink;
  campaigns: CampaignCache;
  /** handles each brand refuses (a return was matched to them) */
  blocked: BlockedHandles;
  metrics: IngestMetrics;
  ipHasher: IpHasher;
  tokens: TokenVerifier;
  /** LINK_SECRETS (or LINK_SECRET), newest first: signs new tokens, verifies old ones */
  links: LinkKeyring;
  publicPostLimit: RequestHandler;
  /** INGEST_TOKEN, wrong tokens limited per client (sign-ups and the click feed share one count) */
  ingestAuth: RequestHandler;
  mongoReady: () => Promise<boolean>;
}
