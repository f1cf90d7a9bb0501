import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@seedline/testkit';

function start(app: 'api' | 'ingest' | 'worker', env: Record<string, string>) {
  const res = spawnSync(process.execPath, [join(REPO_ROOT, 'apps', app, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: res.status, stderr: res.stderr.trim(), stdout: res.stdout.trim() };
}

describe('invalid configuration stops the app with one clear line naming the variable', () => {
  it.each(['api', 'ingest', 'worker'] as const)('%s: malformed REDIS_URL', (app) => {
    const r = start(app, { REDIS_URL: 'localhost:6379' });
    expect(r.code).toBe(78);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Invalid configuration: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/);
  });

  it.each([
    ['ingest', 'LINK_SECRET'],
    ['worker', 'LINK_SECRET'],
    ['api', 'ADMIN_TOKEN'],
  ] as const)('%s: a missing %s in production mode', (app, variable) => {
    const r = start(app, {
      NODE_ENV: 'production',
      ADMIN_TOKEN: 'a-long-enough-admin-token',
      INGEST_TOKEN: 'a-long-enough-ingest-token',
      LINK_SECRET: 'a-long-enough-link-secret',
      WEBHOOK_SECRET: 'a-long-enough-webhook-secret',
      [variable]: '',
    });
    expect(r.code).toBe(78);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`Invalid configuration: ${variable} `);
    // the line never echoes a secret value
    expect(r.stderr).not.toContain('a-long-enough');
  });

  it.each([
    ['api', 'API_PORT', 'eighty'],
    // empty: coerced to 0 it started on a random port
    ['api', 'API_PORT', ''],
    ['ingest', 'INGEST_PORT', ''],
    ['ingest', 'INGEST_PORT', '70000'],
    // out of range, or not cron at all: BullMQ's scheduler threw a stack trace and exit 1
    ['worker', 'RECOUNT_CRON', '61 * * * *'],
    ['worker', 'RECOUNT_CRON', 'a b c d e'],
  ] as const)('%s: %s=%j is refused, naming the variable', (app, variable, value) => {
    const r = start(app, { [variable]: value });
    expect(r.code).toBe(78);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
