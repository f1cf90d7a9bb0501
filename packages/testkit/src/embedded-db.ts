import { execFile, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { pollUntil } from './poll.js';
import { freePort, portAnswers } from './ports.js';
import { REPO_ROOT } from './processes.js';

// The embedded database's two processes, one of each per caller, for tests and fault cases that freeze or crash
// them without touching the ones every other test shares.
const run = promisify(execFile);
const RUN_DIR = join(REPO_ROOT, '.run', 'faults');
const PG_CTL = `${process.env.PG_BINDIR ?? '/usr/lib/postgresql/15/bin'}/pg_ctl`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface OwnPostgres {
  url: string;
  port: number;
  /** Kills a client backend with SIGSEGV (busy ones first); returns its pid and what it was running. */
  crash(): Promise<{ pid: number; what: string }>;
  /** Resolves once the cluster takes connections again after a crash. */
  recovered(): Promise<void>;
  /** Shuts the cluster down (fast): the database is unreachable until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the caller's own, made by the project's script (extensions preloaded, DocumentDB
 * created). A crash kills one backend the way DocumentDB's segfaults did under the benchmarks: the postmaster
 * then ends every other connection, replays its WAL and takes connections again.
 */
export async function startPostgres(label: string): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = join(RUN_DIR, `pg-${label}-${port}`);
  rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, SEEDLINE_PG_PORT: String(port), SEEDLINE_PG_DIR: dir };
  const { stdout } = await run('bash', [join(REPO_ROOT, 'scripts/services/postgres.sh')], { env, cwd: REPO_ROOT });
  const url = stdout.trim().split('\n').pop() ?? '';
  // Not always under `dir`: as root, a checkout `postgres` cannot reach puts the cluster in a folder of its own.
  const data = readFileSync(join(dir, 'datadir'), 'utf8').trim();
  const postmaster = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let pid = postmaster();
  // As root the cluster belongs to `postgres` (scripts/services/postgres.sh).
  const pgCtl = (...args: string[]) =>
    process.getuid?.() === 0
      ? run('runuser', ['-u', 'postgres', '--', PG_CTL, '-D', data, ...args])
      : run(PG_CTL, ['-D', data, ...args]);
  return {
    url,
    port,
    async crash() {
      const { stdout: ps } = await run('ps', ['--ppid', String(pid), '-o', 'pid=,args=']);
      const backends = ps
        .split('\n')
        .map((l) => l.trim().match(/^(\d+)\s+postgres: (.*)$/))
        .filter(
          (m): m is RegExpMatchArray => m !== null && /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\(\d{1,5}\)/.test(m[2] ?? ''),
        )
        .map((m) => ({ pid: Number(m[1]), what: m[2] ?? '' }));
      const victim = backends.find((b) => !/ idle$/.test(b.what)) ?? backends[0];
      if (!victim) throw new Error('no client backend to crash');
      process.kill(victim.pid, 'SIGSEGV');
      return victim;
    },
    async recovered() {
      await pollUntil(
        () =>
          run('psql', [url, '-qAtc', 'SELECT 1']).then(
            () => true,
            () => false,
          ),
        { timeoutMs: 60_000, intervalMs: 200, what: `postgres on ${port} after its crash` },
      );
    },
    async stop() {
      await pgCtl('-m', 'fast', '-w', '-t', '60', 'stop');
    },
    async start() {
      await pgCtl('-l', join(dirname(data), 'postgresql.log'), '-w', '-t', '60', 'start');
      pid = postmaster();
    },
    async remove() {
      // Immediate shutdown (SIGQUIT): nothing of this cluster is kept.
      if (alive(pid)) process.kill(pid, 'SIGQUIT');
      await pollUntil(() => !alive(pid), { timeoutMs: 20_000, what: `postgres ${pid} to exit` });
      rmSync(dir, { recursive: true, force: true });
      rmSync(dirname(data), { recursive: true, force: true });
    },
  };
}

export interface OwnFerretDb {
  port: number;
  pid: number | undefined;
  /** base URL without a database name */
  base: string;
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

/**
 * A FerretDB process of the caller's own, over the project's PostgreSQL database unless `postgresUrl` names
 * another. `npm run services` builds the binary and links it at .run/ferretdb.
 */
export async function startFerretDb(label: string, opts: { postgresUrl?: string } = {}): Promise<OwnFerretDb> {
  const port = await freePort();
  const pg =
    opts.postgresUrl ??
    process.env.FERRETDB_POSTGRESQL_URL ??
    `postgres://postgres@127.0.0.1:${process.env.SEEDLINE_PG_PORT ?? 54329}/postgres`;
  const stateDir = join(RUN_DIR, `ferretdb-state-${port}`);
  mkdirSync(stateDir, { recursive: true });
  const out = openSync(join(RUN_DIR, `ferretdb-${label}-${port}.log`), 'a');
  const proc = spawn(
    join(REPO_ROOT, '.run', 'ferretdb'),
    ['-listen', `127.0.0.1:${port}`, '-postgresql-url', pg, '-state-dir', stateDir],
    { cwd: REPO_ROOT, stdio: ['ignore', out, out] },
  );
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  await pollUntil(() => portAnswers(port), { timeoutMs: 20_000, what: `ferretdb on ${port}` });
  return {
    port,
    pid: proc.pid,
    base: `mongodb://127.0.0.1:${port}`,
    freeze: () => proc.kill('SIGSTOP'),
    thaw: () => proc.kill('SIGCONT'),
    async stop() {
      proc.kill('SIGCONT');
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
