import { pino, type Logger } from 'pino';

/** Secrets and raw addresses never reach the logs: these paths are censored wherever they appear. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-forwarded-for"]',
  'req.remoteAddress',
  'req.remotePort',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.ip',
  'ip',
  'apiKey',
  'token',
];

export function createLogger(name: string, level: string): Logger {
  return pino({
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { app: name },
  });
}
export type { Logger };
