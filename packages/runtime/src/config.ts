import { z } from 'zod';
import { DEFAULT_REMINDER_FROM, parseAllowedHosts, parseDataKey, parseMailbox } from '@seedline/domain';
import { productionSecretProblem } from './secrets.js';

const isProduction = process.env.NODE_ENV === 'production';

// 32 bytes of hex, public on purpose: only ever a development default, refused as such in production.
const DEV_DATA_KEY = '6465762d6f6e6c792d696e7365637572652d646174612d6b65792d2d2d2d2d21';
/** DATA_KEY: the AES-256-GCM key for data sealed at rest (payout addresses): 64 hex digits or 32 bytes of base64. */
export const dataKey = (isProduction ? z.string() : z.string().default(DEV_DATA_KEY)).transform((v, ctx) => {
  const key = parseDataKey(v);
  if (!key || (isProduction && v === DEV_DATA_KEY)) {
    ctx.addIssue({ code: 'custom', message: 'must be 32 random bytes as 64 hex digits or base64' });
    return z.NEVER;
  }
  return key;
});

export const redisUrl = z
  .string()
  .default('redis://127.0.0.1:6379')
  .refine((v) => /^rediss?:\/\/[^\s/]+(\/\d+)?$/.test(v) && URL.canParse(v), 'must be a redis:// or rediss:// URL');
export const mongoUrl = z
  .string()
  .default('mongodb://127.0.0.1:27017/seedline')
  .refine((v) => /^mongodb(\+srv)?:\/\/\S+$/.test(v), 'must be a mongodb:// URL');
/** QUEUE_PREFIX: BullMQ's key prefix, hash-tagged by default so every key of a queue shares a Redis Cluster slot. */
export const queuePrefix = z
  .string()
  .regex(/^[\w{}.-]+$/)
  .default('{seedline}');
/** A TCP port; an empty value is refused (coerced, it would be 0: a random port nobody can find). */
export const port = (fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d{1,5}$/.test(v) && Number(v) <= 65535, 'must be a port number (0-65535)')
    .transform(Number);
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
export const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http(s) URL');

/**
 * ALLOWED_REDIRECT_HOSTS: hosts besides Amazon's retail sites that tracked links may redirect to, a comma list
 * of exact hosts and `*.example.com` (its sub-domains). Parsed to the list `RedirectAllowList` takes.
 */
export const allowedRedirectHosts = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const parsed = parseAllowedHosts(v);
    if (parsed.ok) return parsed.hosts;
    ctx.addIssue({
      code: 'custom',
      message: `has "${parsed.entry.slice(0, 80)}", not a host name or *.host (a comma list, no scheme or port)`,
    });
    return z.NEVER;
  });

/** REMINDER_FROM: `reminders@brand.example` or `Name <reminders@brand.example>`. */
export const reminderFrom = z
  .string()
  .default(DEFAULT_REMINDER_FROM)
  .refine((v) => parseMailbox(v) !== null, 'must be an email address, optionally as "Name <address>"');
export const smtpUrl = z
  .string()
  .default('smtp://127.0.0.1:1025')
  .refine((v) => /^smtps?:\/\/[^\s/?]+\/?(\?\S*)?$/.test(v) && URL.canParse(v), 'must be an smtp:// or smtps:// URL');

/**
 * Parses the environment; on failure prints ONE line naming the variable and exits, as ops expect from a
 * misconfigured process (no stack trace, no secret values).
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) {
    const problem = env.NODE_ENV === 'production' ? productionSecretProblem(schema.shape, parsed.data) : null;
    if (!problem) return parsed.data;
    process.stderr.write(`Invalid configuration: ${problem.name} ${problem.message}\n`);
    process.exit(78);
  }
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const reason = issue?.code === 'invalid_type' && env[name] === undefined ? 'is required' : issue?.message;
  process.stderr.write(`Invalid configuration: ${name} ${reason}\n`);
  process.exit(78);
}

/** WEBHOOK_RETRY_SCHEDULE: seconds before each attempt (the first is normally 0), comma separated. */
export const webhookRetrySchedule = z
  .string()
  .default('0,5,300,1800,7200,18000,36000,36000')
  .refine((v) => /^\d+(\.\d+)?( *, *\d+(\.\d+)?){0,29}$/.test(v.trim()), 'must be up to 30 comma-separated seconds')
  .transform((v) => v.split(',').map((s) => Number(s.trim())));
/** WEBHOOK_ALLOW_PRIVATE=1: http and private addresses allowed for webhook endpoints (development and tests). */
export const webhookAllowPrivate = z
  .enum(['0', '1', 'true', 'false', ''])
  .default('0')
  .transform((v) => v === '1' || v === 'true');
