import { z } from 'zod';
import { loadConfig, logLevel, mongoUrl, port, redisUrl, secret } from '@seedline/runtime';

export const apiConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: redisUrl,
  MONGO_URL: mongoUrl,
  API_PORT: port(3000),
  ADMIN_TOKEN: secret,
  LOG_LEVEL: logLevel,
  QUEUE_PREFIX: z.string().regex(/^[\w{}.-]+$/).default('{seedline}'),
  /** requests per API key per minute */
  BRAND_RATE_LIMIT: z.coerce.number().int().min(1).default(1200),
  STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
});
export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => loadConfig(apiConfigSchema, env);
