import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@seedline/testkit';

/** Distinct, random-looking production secrets: each 40 characters, 20+ distinct. */
const STRONG = {
  ADMIN_TOKEN: 'A1b2C3d4E5f6G7h8I9j0-admin-KLmnOPqrSTuv',
  INGEST_TOKEN: 'Q1w2E3r4T5y6U7i8O9p0-ingest-ASdfGHjkLZx',
  LINK_SECRET: 'Z9x8C7v6B5n4M3l2K1j0-link-HGfdSApoIUytr',
  WEBHOOK_SECRET: 'P0o9I8u7Y6t5R4e3W2q1-hook-LKjhGFdsAMnbv',
  METRICS_TOKEN: 'M1n2B3v4C5x6Z7l8K9j0-metrics-HGfdSAqwErt',
  DATA_KEY: '8f3a1c9e5b7d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a',
};

/** Starts `app` in production with the strong secrets, `env` over them (an empty value unsets the variable). */
function start(app: 'api' | 'ingest' | 'worker', env: Record<string, string>, timeout = 60_000) {
  const full: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    // Nothing listens on port 1: an app that gets past its configuration fails to connect, never hangs the test.
    REDIS_URL: 'redis://127.0.0.1:1',
    MONGO_URL: 'mongodb://127.0.0.1:1/none',
    SMTP_URL: 'smtp://127.0.0.1:1',
    ...STRONG,
    ...env,
  };
  for (const [name, value] of Object.entries(full)) if (value === '') delete full[name];
  const res = spawnSync(process.execPath, [join(REPO_ROOT, 'apps', app, 'dist', 'main.js')], {
    env: full,
    encoding: 'utf8',
    timeout,
  });
  return { code: res.status, stderr: res.stderr.trim(), output: `${res.stdout}${res.stderr}` };
}

describe('production refuses weak, published and reused secrets, naming the variable', () => {
  const cases: [app: 'api' | 'ingest' | 'worker', env: Record<string, string>, line: string][] = [
    ['ingest', { LINK_SECRET: 'dev-only-insecure-secret-change-me' }, 'LINK_SECRET is a value published'],
    ['worker', { LINK_SECRET: 'replace-with-32-random-characters' }, 'LINK_SECRET is a value published'],
    ['api', { ADMIN_TOKEN: 'Short-but-varied-token-0123456' }, 'ADMIN_TOKEN must be at least 32 characters'],
    ['worker', { WEBHOOK_SECRET: 'abab'.repeat(10) }, 'WEBHOOK_SECRET must hold at least 16 distinct'],
    ['ingest', { LINK_SECRET: STRONG.INGEST_TOKEN }, 'LINK_SECRET must differ from INGEST_TOKEN'],
    ['api', { METRICS_TOKEN: STRONG.ADMIN_TOKEN }, 'METRICS_TOKEN must differ from ADMIN_TOKEN'],
    ['api', { METRICS_TOKEN: '' }, 'METRICS_TOKEN is required'],
    ['ingest', { METRICS_TOKEN: '' }, 'METRICS_TOKEN is required'],
    [
      'ingest',
      { LINK_SECRET: '', LINK_SECRETS: `${STRONG.LINK_SECRET},too-short-old-secret` },
      'LINK_SECRETS (entry 2) must be at least 32',
    ],
    ['worker', { LINK_SECRETS: STRONG.LINK_SECRET }, 'LINK_SECRETS replaces LINK_SECRET: set one of them'],
  ];

  it.each(cases)(
    '%s %j',
    (app, env, line) => {
      const r = start(app, env);
      expect(r.code).toBe(78);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`Invalid configuration: ${line}`);
      for (const value of Object.values(env)) if (value.length > 8) expect(r.stderr).not.toContain(value);
    },
    90_000,
  );

  it.each(['api', 'ingest', 'worker'] as const)(
    '%s gets past its configuration with strong secrets',
    (app) => {
      const r = start(app, {}, 30_000);
      expect(r.stderr).not.toContain('Invalid configuration');
      expect(r.code).not.toBe(78);
      // It went on to connect to the (absent) services.
      expect(r.output).toMatch(/ECONNREFUSED|127\.0\.0\.1:1\b/);
    },
    60_000,
  );
});
