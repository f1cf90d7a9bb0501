import { z } from 'zod';
import { trustProxy } from '@seedline/http';
import {
  allowedRedirectHosts,
  dataKey,
  httpUrl,
  loadConfig,
  logLevel,
  mongoUrl,
  queuePrefix,
  port,
  redisUrl,
  linkSecretsRule,
  optionalSecret,
  secret,
  secretInProduction,
  secretList,
} from '@seedline/runtime';

export const ingestConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: redisUrl,
  MONGO_URL: mongoUrl,
  INGEST_PORT: port(3001),
  INGEST_TOKEN: secret,
  /** one link secret; LINK_SECRETS instead to rotate it */
  LINK_SECRET: optionalSecret,
  /** link secrets, newest first: new tokens are signed with the first, tokens of any of them verify */
  LINK_SECRETS: secretList,
  /** the Bearer token /metrics asks for; unset: open (development only, required in production) */
  METRICS_TOKEN: secretInProduction,
  DATA_KEY: dataKey,
  PUBLIC_INGEST_URL: httpUrl('http://127.0.0.1:3001'),
  /** whose X-Forwarded-For is believed: CIDRs or `loopback` */
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: logLevel,
  QUEUE_PREFIX: queuePrefix,
  SPOOL_DIR: z.string().default('.run/spool'),
  /** tracked-link clicks recorded per IP per minute before further ones are flagged (still redirected) */
  LINK_RECORD_LIMIT: z.coerce.number().int().min(1).default(600),
  /** wrong INGEST_TOKENs per client per minute (sign-ups and the click feed together), then 429 until the window ends */
  INGEST_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** public POSTs per IP per minute */
  PUBLIC_POST_LIMIT: z.coerce.number().int().min(1).default(60),
  /** hosts besides Amazon's a stored productUrl/reviewUrl may redirect to; any other answers 410 link_disabled */
  ALLOWED_REDIRECT_HOSTS: allowedRedirectHosts,
  CAMPAIGN_CACHE_MS: z.coerce.number().int().min(0).default(30_000),
  /** longest wait for Redis to confirm an event before it is spooled instead (a hung Redis never holds a redirect) */
  ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(10).default(500),
  /** how often a spool backlog is retried while Redis stays unavailable (it is also retried the moment Redis is back) */
  SPOOL_RETRY_MS: z.coerce.number().int().min(50).default(1000),
  /**
   * first retry delay of an event job (sign-up, clicks, submission, unsubscribe), doubling over its 12 attempts
   * (about 17 min in all). A database outage spends none of them (the worker parks the job); tests shorten it.
   */
  EVENT_RETRY_BASE_MS: z.coerce.number().int().min(1).max(60_000).default(500),
});
export type IngestConfig = z.infer<typeof ingestConfigSchema>;

const ingestEnvSchema = ingestConfigSchema.superRefine(linkSecretsRule);

export const loadIngestConfig = (env: NodeJS.ProcessEnv = process.env): IngestConfig =>
  loadConfig(ingestEnvSchema, env);
