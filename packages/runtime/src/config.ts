import { z } from 'zod';

const DEV_SECRET = 'dev-only-insecure-secret-change-me';
const isProduction = process.env.NODE_ENV === 'production';

/** A secret: required (and at least 16 characters) in production, a loud dev default elsewhere. */
export const secret = isProduction ? z.string().min(16, 'must be at least 16 characters') : z.string().min(1).default(DEV_SECRET);

export const redisUrl = z
  .string()
  .default('redis://127.0.0.1:6379')
  .refine((v) => /^rediss?:\/\/[^\s/]+(\/\d+)?$/.test(v) && URL.canParse(v), 'must be a redis:// or rediss:// URL');
export const mongoUrl = z
  .string()
  .default('mongodb://127.0.0.1:27017/seedline')
  .refine((v) => /^mongodb(\+srv)?:\/\/\S+$/.test(v), 'must be a mongodb:// URL');
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
export const httpUrl = (fallback: string) =>
  z.string().default(fallback).refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), 'must be an http(s) URL');

/**
 * Parses the environment; on failure prints ONE line naming the variable and exits, as ops expect from a
 * misconfigured process (no stack trace, no secret values).
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const reason = issue?.code === 'invalid_type' && env[name] === undefined ? 'is required' : issue?.message;
  process.stderr.write(`Invalid configuration: ${name} ${reason}\n`);
  process.exit(78);
}
