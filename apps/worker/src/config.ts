import { z } from 'zod';
import {
  httpUrl,
  loadConfig,
  logLevel,
  mongoUrl,
  queuePrefix,
  redisUrl,
  reminderFrom,
  secret,
  smtpUrl,
} from '@seedline/runtime';

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
    .refine(
      (v) => v === undefined || v === '' || (/^https?:\/\//.test(v) && URL.canParse(v)),
      'must be an http(s) URL',
    ),
  REMINDER_SWEEP_SECONDS: z.coerce.number().min(0.1).max(86_400).default(60),
  LOG_LEVEL: logLevel,
  QUEUE_PREFIX: queuePrefix,
  /** `off` writes each click job on its own (the benchmark's baseline) */
  CLICK_BATCHING: z.enum(['on', 'off']).default('on'),
  CLICK_BATCH_MAX: z.coerce.number().int().min(1).max(5000).default(500),
  /** click jobs in progress at once: under a backlog the batches grow towards this, coalescing more */
  CLICK_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(500),
  /** how long a job's lock lives: a killed worker's jobs are taken over after about this long */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  /** when every campaign's stage counters are compared with the documents and repaired (cron, UTC) */
  RECOUNT_CRON: z
    .string()
    .regex(/^\S+( \S+){4,5}$/, 'must be a cron pattern of 5 or 6 fields')
    .default('17 * * * *'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** reminder emails go through this server (Mailpit locally; credentials in the URL, never logged) */
  SMTP_URL: smtpUrl,
  REMINDER_FROM: reminderFrom,
  /** connecting, the greeting, and each SMTP command: a hung server fails the attempt, which is retried */
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** SMTP connections kept open and reused by the pooled transport */
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(5),
  /**
   * A reminder whose channel keeps failing for a passing reason (server down, 4xx) stays pending and is tried
   * again, first within its job (jittered backoff), then by later sweeps; after this long it fails for good.
   */
  REMINDER_RETRY_HOURS: z.coerce
    .number()
    .min(0.001)
    .max(24 * 30)
    .default(48),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig =>
  loadConfig(workerConfigSchema, env);
