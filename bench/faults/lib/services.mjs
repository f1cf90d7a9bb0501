import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, pollUntil, portAnswers, REPO_ROOT } from '@seedline/testkit';

const RUN_DIR = join(REPO_ROOT, '.run', 'faults');

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
      await pollUntil(() => portAnswers(port), { timeoutMs: 15_000, what: `redis on ${port}` });
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
