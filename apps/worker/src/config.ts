import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import {
  dataKey,
  instagramConfigShape,
  secondsSetting,
  httpUrl,
  loadConfig,
  logLevel,
  mongoUrl,
  queuePrefix,
  redisUrl,
  reminderFrom,
  linkSecretsRule,
  optionalSecret,
  secret,
  secretList,
  smtpUrl,
  webhookAllowPrivate,
  webhookRetrySchedule,
} from '@seedline/runtime';

/** What BullMQ's scheduler will parse (the same cron-parser): a bad pattern stops the worker at start, named. */
function isCronPattern(v: string): boolean {
  if (!/^\S+( \S+){4,5}$/.test(v)) return false;
  try {
    CronExpressionParser.parse(v, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}
export const workerConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  REDIS_URL: redisUrl,
  MONGO_URL: mongoUrl,
  /** one link secret; LINK_SECRETS instead to rotate it (reminders carry links signed with the first) */
  LINK_SECRET: optionalSecret,
  LINK_SECRETS: secretList,
  WEBHOOK_SECRET: secret,
  /** opens the payout addresses sealed at rest (the payouts processor) */
  DATA_KEY: dataKey,
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
  /** while the database is unreachable, how often a worker pings it (the first answer replays parked jobs) */
  DB_PROBE_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** a parked event job comes back by itself after this long, should no worker see the database return */
  PARKED_RECHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** when every campaign's stage counters are compared with the documents and repaired (cron, UTC) */
  RECOUNT_CRON: z
    .string()
    .default('17 * * * *')
    .refine(isCronPattern, 'must be a cron pattern of 5 or 6 fields, each in its range (minute 0-59, …)'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** brand webhooks: seconds before each attempt (with ±10 % jitter); 429/503 with Retry-After wait longer */
  WEBHOOK_RETRY_SCHEDULE: webhookRetrySchedule,
  /** an endpoint failing for this long (every delivery) is disabled and the brand's contactEmail told */
  WEBHOOK_DISABLE_AFTER_SECONDS: z.coerce
    .number()
    .min(1)
    .default(5 * 24 * 3600),
  WEBHOOK_ALLOW_PRIVATE: webhookAllowPrivate,
  /** per brand-webhook attempt: a receiver that does not answer in time is a failed attempt */
  WEBHOOK_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  /** delivery attempts in flight per worker process, and per endpoint (a hanging endpoint holds only these) */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  /**
   * database connections of the webhooks' fan-out and deliveries, beside the 10 of everything else: their reads
   * and writes never queue in front of a status update's, and at most this many run at once
   */
  WEBHOOK_DB_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(4),
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
  /** `paypal` or `manual`; unset: `paypal` when PAYPAL_BASE_URL is set, else `manual` */
  PAYOUT_PROVIDER: z.enum(['paypal', 'manual']).optional(),
  /** no default outside production, so nothing but an explicit setting ever reaches PayPal */
  PAYPAL_BASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || (/^https?:\/\/[^\s/]+\/?$/.test(v) && URL.canParse(v)), 'must be an http(s) origin'),
  PAYPAL_CLIENT_ID: z.string().max(500).optional(),
  /** never logged */
  PAYPAL_CLIENT_SECRET: z.string().max(500).optional(),
  /** per PayPal request; a timeout is retried with the same sender_batch_id, which finds a payout made meanwhile */
  PAYPAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** how often reimbursements being sent are looked up at the provider, and approved ones not yet sent are sent */
  PAYOUT_SWEEP_SECONDS: z.coerce.number().min(0.1).max(86_400).default(60),
  /** a PayPal payout may be taken back after it succeeded: paid ones are looked up again this long after */
  PAYOUT_REVERSAL_WATCH_DAYS: z.coerce.number().min(0).max(365).default(30),
  /** and at most this often each (one provider request per paid payout and period) */
  PAYOUT_REVERSAL_CHECK_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(30 * 86_400)
    .default(21_600),
  /** after the provider said the account lacks funds, payouts pause this long before one is tried again */
  PAYOUT_FUNDS_RETRY_SECONDS: z.coerce.number().min(0.1).max(86_400).default(300),
  ...instagramConfigShape,
  /** a post not found on Instagram yet is looked for again this often... */
  IG_VERIFY_RETRY_SECONDS: secondsSetting(1800),
  /** ...for this long after the submission, then rejected as not found */
  IG_VERIFY_FOR_SECONDS: secondsSetting(3 * 86_400),
  /** an accepted post is re-read this often... */
  IG_RECHECK_INTERVAL_SECONDS: secondsSetting(86_400),
  /** ...for this long after it was accepted; one gone by then is marked removed */
  IG_RECHECK_FOR_SECONDS: secondsSetting(30 * 86_400),
  /** how often due checks, unread mentions, tag reads and token renewals are looked for */
  IG_SWEEP_SECONDS: secondsSetting(60),
  /** how often each connected account's tagged media are read in full (posts found without a submission) */
  IG_TAGS_READ_SECONDS: secondsSetting(3600),
  /** a token is renewed once it has less than this left of its 60 days */
  IG_TOKEN_RENEW_BEFORE_SECONDS: secondsSetting(15 * 86_400),
  /** the longest pause taken before a Graph call as the usage headers near 100 % */
  IG_SLOWDOWN_MAX_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  /** the wait after a rate-limit error when Meta announced no time to regain access */
  IG_RATE_LIMIT_BACKOFF_SECONDS: secondsSetting(300),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

/** PayPal needs its credentials wherever it can be reached (PAYPAL_BASE_URL set, or production's default). */
export const workerEnvSchema = workerConfigSchema.superRefine(linkSecretsRule).superRefine((c, ctx) => {
  // Reminders carry personal data (email, handle): in production they leave only over TLS.
  if (c.NODE_ENV === 'production' && c.REMINDER_WEBHOOK_URL && !c.REMINDER_WEBHOOK_URL.startsWith('https://'))
    ctx.addIssue({ code: 'custom', path: ['REMINDER_WEBHOOK_URL'], message: 'must be an https URL in production' });
  const paypal = c.PAYOUT_PROVIDER === 'paypal' || (c.PAYOUT_PROVIDER === undefined && !!c.PAYPAL_BASE_URL);
  if (!paypal || (!c.PAYPAL_BASE_URL && c.NODE_ENV !== 'production')) return;
  for (const name of ['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET'] as const) {
    if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when PAYOUT_PROVIDER is paypal' });
  }
});

export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig =>
  loadConfig(workerEnvSchema, env);
