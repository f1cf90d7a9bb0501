import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, pollUntil, REPO_ROOT } from '@seedline/testkit';

const RUN_DIR = join(REPO_ROOT, '.run', 'faults');

function answers(port) {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

function spawnService(cmd, args, logFile) {
  const out = openSync(logFile, 'a');
  const proc = spawn(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', out, out], detached: false });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code)));
  return { proc, exited, logFile };
}

/**
 * A Redis server of our own on a free port, configured as production should be (AOF `appendfsync everysec`,
 * `noeviction`), so a case can kill and restart it without touching the Redis other tests share.
 */
export async function startRedis(label) {
  const port = await freePort();
  const dir = join(RUN_DIR, `redis-${label}-${port}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--logfile',
    join(dir, 'redis.log'),
  ];
  const server = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    current: null,
    get pid() {
      return server.current?.proc.pid;
    },
    async start() {
      server.current = spawnService('redis-server', args, join(dir, 'redis.log'));
      await pollUntil(() => answers(port), { timeoutMs: 15_000, what: `redis on ${port}` });
    },
    /** SIGKILL: no shutdown save, no final fsync; what AOF had written is all that survives. */
    async kill() {
      const c = server.current;
      if (!c) return;
      c.proc.kill('SIGKILL');
      await c.exited;
      server.current = null;
    },
    async stop() {
      const c = server.current;
      if (!c) return;
      c.proc.kill('SIGTERM');
      await c.exited;
      server.current = null;
    },
    async remove() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/**
 * A FerretDB process of our own, so freezing it with SIGSTOP stops only this case's database traffic. It shares
 * the project's PostgreSQL database (DocumentDB lives in one database, next to pg_cron); cases keep apart by
 * their MongoDB database names. `npm run services` builds the binary and links it at .run/ferretdb.
 */
export async function startFerretDb(label) {
  const port = await freePort();
  const bin = join(REPO_ROOT, '.run', 'ferretdb');
  const pg =
    process.env.FERRETDB_POSTGRESQL_URL ??
    `postgres://postgres@127.0.0.1:${process.env.SEEDLINE_PG_PORT ?? 54329}/postgres`;
  const stateDir = join(RUN_DIR, `ferretdb-state-${port}`);
  mkdirSync(stateDir, { recursive: true });
  const svc = spawnService(
    bin,
    ['-listen', `127.0.0.1:${port}`, '-postgresql-url', pg, '-state-dir', stateDir],
    join(RUN_DIR, `ferretdb-${label}-${port}.log`),
  );
  await pollUntil(() => answers(port), { timeoutMs: 20_000, what: `ferretdb on ${port}` });
  return {
    port,
    pid: svc.proc.pid,
    /** base URL without a database name */
    base: `mongodb://127.0.0.1:${port}`,
    freeze: () => svc.proc.kill('SIGSTOP'),
    thaw: () => svc.proc.kill('SIGCONT'),
    async stop() {
      svc.proc.kill('SIGCONT');
      svc.proc.kill('SIGTERM');
      const t = setTimeout(() => svc.proc.kill('SIGKILL'), 5000);
      await svc.exited;
      clearTimeout(t);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
