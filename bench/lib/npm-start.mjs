// A checkout's stack as a user starts it: its own scripts/start.mjs (what `npm start` runs), configured only by
// the contract's environment variables, over services of its own: a fresh PostgreSQL cluster made by THAT
// checkout's scripts/services/postgres.sh (so the settings it ships are the ones measured), a FerretDB on it, a
// Redis and a fresh database. The checkout's own built testkit makes the cluster and the FerretDB (its REPO_ROOT
// is that checkout). Everything is removed by `stop()`, whatever failed, and on exit if the bench dies first.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, pollUntil, REPO_ROOT, TEST_SECRETS, uniqueName } from '@seedline/testkit';
import { startRedis } from '../faults/lib/services.mjs';
import { commitOf } from './db-cost-root.mjs';
import { LIFTED_LIMITS } from './own-stack.mjs';

/** Throws, naming what is missing, unless the checkout's apps and testkit are built. */
export function assertBuilt(root) {
  const needed = ['api', 'ingest', 'worker'].map((a) => `apps/${a}/dist/main.js`);
  needed.push('packages/testkit/dist/index.js', 'scripts/start.mjs', 'scripts/services/postgres.sh');
  const missing = needed.filter((f) => !existsSync(join(root, f)));
  if (missing.length)
    throw new Error(`${root} is not built (missing ${missing.join(', ')}): run \`npx turbo run build\` there`);
}

const newest = (dir, ext) =>
  existsSync(dir)
    ? Math.max(
        0,
        ...readdirSync(dir, { recursive: true })
          .filter((f) => f.endsWith(ext))
          .map((f) => statSync(join(dir, f)).mtimeMs),
      )
    : 0;

/**
 * The workspaces of a checkout whose sources changed after their last build: what runs is then not what the
 * checkout holds (the build is the checkout owner's to make, so this is reported, not fixed).
 */
export function unbuiltChanges(root) {
  const workspaces = ['apps', 'packages'].flatMap((top) => readdirSync(join(root, top)).map((name) => join(top, name)));
  return workspaces.filter((w) => {
    const built = newest(join(root, w, 'dist'), '.js');
    return built > 0 && newest(join(root, w, 'src'), '.ts') > built;
  });
}

const healthy = async (url) => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true;

/**
 * Starts `root`'s stack; returns `{stack, commit, stop}` where `stack` has what the bench's helpers use
 * (apiUrl, ingestUrl, env). `log` gets one line per step.
 */
export async function startCheckout(root, label, log = () => undefined, extraEnv = {}) {
  root = resolve(root);
  assertBuilt(root);
  const tk = await import(pathToFileURL(join(root, 'packages/testkit/dist/index.js')).href);
  const cleanups = [];
  const stop = async () => {
    for (const undo of cleanups.splice(0).reverse()) await undo().catch((err) => log(`cleanup: ${err.message}`));
  };
  try {
    const postgres = await tk.startPostgres(label);
    cleanups.push(() => postgres.remove());
    log(`${root}: PostgreSQL cluster of its own on ${postgres.port} (its scripts/services/postgres.sh)`);
    const ferret = await tk.startFerretDb(label, { postgresUrl: postgres.url });
    cleanups.push(() => ferret.stop());
    const redis = await startRedis(label);
    cleanups.push(() => redis.remove());
    const spool = mkdtempSync(join(tmpdir(), `seedline-${label}-spool-`));
    cleanups.push(async () => rmSync(spool, { recursive: true, force: true }));
    const [apiPort, ingestPort] = await Promise.all([freePort(), freePort()]);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...TEST_SECRETS,
      MONGO_URL: `${ferret.base}/${uniqueName(label)}`,
      REDIS_URL: redis.url,
      API_PORT: String(apiPort),
      INGEST_PORT: String(ingestPort),
      PUBLIC_INGEST_URL: `http://127.0.0.1:${ingestPort}`,
      SPOOL_DIR: spool,
      ...LIFTED_LIMITS,
      ...extraEnv,
    };
    const logDir = join(REPO_ROOT, '.run', 'test-logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = join(logDir, `${label}-npm-start-${Date.now()}.log`);
    const out = openSync(logFile, 'a');
    // A process group of its own, so that a stack that will not stop can be killed whole (apps included).
    const proc = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
      cwd: root,
      env,
      stdio: ['ignore', out, out],
      detached: true,
    });
    const exited = new Promise((r) => proc.once('exit', r));
    let gone = false;
    void exited.then(() => (gone = true));
    const killGroup = () => {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    process.once('exit', killGroup);
    cleanups.push(async () => {
      process.off('exit', killGroup);
      if (!gone) proc.kill('SIGTERM');
      const t = setTimeout(killGroup, 30_000);
      await exited;
      clearTimeout(t);
    });
    const stack = { root, env, apiUrl: `http://127.0.0.1:${apiPort}`, ingestUrl: `http://127.0.0.1:${ingestPort}` };
    await pollUntil(
      async () => {
        if (gone) throw new Error(`scripts/start.mjs exited:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
        const worker = readFileSync(logFile, 'utf8').includes('worker running');
        return worker && (await healthy(stack.apiUrl)) && (await healthy(stack.ingestUrl));
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `${root}'s stack to start (log: ${logFile})` },
    );
    log(`${root}: stack started by scripts/start.mjs (log: ${logFile})`);
    const stale = unbuiltChanges(root);
    if (stale.length) log(`${root}: sources changed after the last build in ${stale.join(', ')}: the build runs`);
    return { stack, commit: commitOf(root), stale, logFile, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
