import { z } from 'zod';
import { trustProxy } from '@seedline/http';
import {
  allowedRedirectHosts,
  instagramConfigShape,
  dataKey,
  httpUrl,
  loadConfig,
  logLevel,
  mongoUrl,
  queuePrefix,
  port,
  redisUrl,
  reminderFrom,
  secret,
  secretInProduction,
  webhookAllowPrivate,
} from '@seedline/runtime';

export const apiConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: redisUrl,
  MONGO_URL: mongoUrl,
  API_PORT: port(3000),
  /** whose X-Forwarded-For is believed: CIDRs or `loopback` */
  TRUST_PROXY: trustProxy,
  ADMIN_TOKEN: secret,
  /** the Bearer token /metrics asks for; unset: open (development only, required in production) */
  METRICS_TOKEN: secretInProduction,
  LOG_LEVEL: logLevel,
  QUEUE_PREFIX: queuePrefix,
  /** requests per API key per minute */
  BRAND_RATE_LIMIT: z.coerce.number().int().min(1).default(1200),
  /** requests with a missing or wrong API key per client address per minute */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(120),
  /** wrong admin tokens per client address (an IPv6 client by its /64) per minute */
  ADMIN_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(10),
  STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /** open live streams per brand in this process */
  STREAM_MAX_PER_BRAND: z.coerce.number().int().min(1).default(200),
  /** where the ingest app answers, for its routes in /openapi.json */
  PUBLIC_INGEST_URL: httpUrl('http://127.0.0.1:3001'),
  /** the sender shown in reminder previews (the worker sends from the same variable) */
  REMINDER_FROM: reminderFrom,
  /** hosts besides Amazon's that productUrl and reviewUrl may name (exact, or *.host for sub-domains) */
  ALLOWED_REDIRECT_HOSTS: allowedRedirectHosts,
  /** the AES-256-GCM key of data sealed at rest (Instagram tokens, payout addresses) */
  DATA_KEY: dataKey,
  ...instagramConfigShape,
  /** what Meta's webhook subscription handshake must present as `hub.verify_token` (unset: refused) */
  INSTAGRAM_VERIFY_TOKEN: z.string().min(8).max(256).optional(),
  /** http and private addresses allowed for brand webhook endpoints (development and tests only) */
  WEBHOOK_ALLOW_PRIVATE: webhookAllowPrivate,
  /** after a secret rotation, the old secret keeps signing (beside the new one) this long */
  WEBHOOK_SECRET_OVERLAP_SECONDS: z.coerce
    .number()
    .min(0)
    .default(24 * 3600),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => loadConfig(apiConfigSchema, env);
