import { z } from 'zod';
import { httpUrl, loadConfig, logLevel, mongoUrl, redisUrl, secret } from '@seedline/runtime';

export const workerConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: redisUrl,
  MONGO_URL: mongoUrl,
  LINK_SECRET: secret,
  WEBHOOK_SECRET: secret,
  PUBLIC_INGEST_URL: httpUrl('http://127.0.0.1:3001'),
  REMINDER_WEBHOOK_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || (/^https?:\/\//.test(v) && URL.canParse(v)), 'must be an http(s) URL'),
  REMINDER_SWEEP_SECONDS: z.coerce.number().min(0.1).max(86_400).default(60),
  LOG_LEVEL: logLevel,
  QUEUE_PREFIX: z.string().regex(/^[\w{}.-]+$/).default('{seedline}'),
  /** `off` writes each click job on its own (the benchmark's baseline) */
  CLICK_BATCHING: z.enum(['on', 'off']).default('on'),
  CLICK_BATCH_MAX: z.coerce.number().int().min(1).max(5000).default(500),
  /** click jobs in progress at once: under a backlog the batches grow towards this, coalescing more */
  CLICK_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(500),
  /** how long a job's lock lives: a killed worker's jobs are taken over after about this long */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** how often every campaign's stage counters are compared with the documents (and repaired) */
  RECOUNT_EVERY_SECONDS: z.coerce.number().min(1).max(7 * 86_400).default(3600),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig => loadConfig(workerConfigSchema, env);
