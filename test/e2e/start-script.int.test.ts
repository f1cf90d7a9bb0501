import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deleteKeys,
  dropDatabase,
  freePort,
  mongoUrlFor,
  pollUntil,
  REDIS_URL,
  REPO_ROOT,
  TEST_SECRETS,
  uniqueName,
} from '@seedline/testkit';

const START = join(REPO_ROOT, 'scripts', 'start.mjs');
const db = uniqueName('startscript');
const env = {
  ...TEST_SECRETS,
  REDIS_URL,
  MONGO_URL: mongoUrlFor(db),
  QUEUE_PREFIX: `{${db}}`,
  SPOOL_DIR: `.run/test-spool/${db}`,
  LOG_LEVEL: 'warn',
};
afterAll(async () => {
  await dropDatabase(env.MONGO_URL).catch(() => undefined);
  await deleteKeys(env.QUEUE_PREFIX).catch(() => undefined);
});

/** A process's nice value (field 19 of /proc/<pid>/stat) and the app it runs. */
function describeProcess(pid: number): { app: string; nice: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const app = /apps\/(\w+)\/dist\/main\.js/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? '?';
  return { app, nice: Number(fields[16]) };
}

describe('npm start (scripts/start.mjs)', () => {
  it('runs the worker at a lower CPU priority than the ingest and the api, and stops all three on SIGTERM', async () => {
    const [apiPort, ingestPort] = await Promise.all([freePort(), freePort()]);
    const stack = spawn(process.execPath, [START], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, API_PORT: String(apiPort), INGEST_PORT: String(ingestPort) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    stack.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exited = once(stack, 'exit');
    try {
      await pollUntil(async () => (await fetch(`http://127.0.0.1:${ingestPort}/healthz`).catch(() => null))?.ok, {
        what: 'the ingest',
        timeoutMs: 30_000,
      });
      const children = readFileSync(`/proc/${stack.pid}/task/${stack.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .map(Number);
      const byApp = Object.fromEntries(children.map(describeProcess).map((p) => [p.app, p.nice]));
      const own = getPriority();
      expect(byApp).toEqual({ api: own, ingest: own, worker: Math.min(19, own + 10) });
    } finally {
      stack.kill('SIGTERM');
      const [code] = await exited;
      expect(code, stderr).toBe(0);
    }
  });

  it('refuses a WORKER_NICE it cannot use, naming the variable', () => {
    const r = spawnSync(process.execPath, [START], {
      env: { PATH: process.env.PATH ?? '', WORKER_NICE: '-5' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr.trim()).toBe('Invalid configuration: WORKER_NICE must be an integer from 0 to 19');
  });
});
