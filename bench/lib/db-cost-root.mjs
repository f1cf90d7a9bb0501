// One checkout's turn in the db-cost bench (issue 24). Everything that checkout ships is its own: the PostgreSQL
// cluster comes from its scripts/services/postgres.sh (so its settings are the ones it ships), the apps from its
// apps/*/dist, both through its own built testkit (whose REPO_ROOT is that checkout); FerretDB, Redis and the
// database are fresh for the turn. The workload and the measuring are this checkout's, so two turns differ only
// in the code and settings under test.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pollUntil, seedCampaign, SHARED_MAILPIT_API, SHARED_SMTP_URL, uniqueName } from '@seedline/testkit';
import { CASE_ENV } from '../faults/lib/case.mjs';
import { mapLimit, sleep } from '../faults/lib/load.mjs';
import { startRedis } from '../faults/lib/services.mjs';
import {
  fireEvent,
  Ledger,
  listAll,
  pendingJobs,
  REQUIRED_TAG,
  signUpPerson,
  verify,
} from '../faults/lib/workload.mjs';
import { drainRate } from './e2e-queue.mjs';
import { catalogue, psqlSession, startPhase } from './pg-cost.mjs';

const REMIND_AFTER_S = 40;
/** The backlog's clicks per influencer, in this order: the first is a status change, the others are not. */
const DRAIN_CLICKS = ['purchase', 'purchase', 'review', 'purchase', 'purchase', 'review', 'purchase', 'purchase'];

/** The commit a checkout stands at, `+changes` when its tracked files differ from it. */
export function commitOf(root) {
  const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '+changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

/**
 * pg_stat_statements in this cluster only: preloading it needs a restart, which only an own cluster allows. It is
 * added to what the checkout's script preloads, whatever that is.
 */
async function enableStatements(postgres, pg) {
  const loaded = (await pg.query('SHOW shared_preload_libraries')).split(',').map((s) => s.trim());
  const libs = [...loaded.filter(Boolean).filter((l) => l !== 'pg_stat_statements'), 'pg_stat_statements'];
  await pg.query(`ALTER SYSTEM SET shared_preload_libraries = ${libs.map((l) => `'${l}'`).join(', ')}`);
  pg.close();
  await postgres.stop();
  await postgres.start();
  const again = psqlSession(postgres.url);
  await again.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return again;
}

/** Until the WAL has not moved for 1.5 s: the worker, its coalesced folds and the reminder sender are done. */
async function quiet(pg) {
  let last = '';
  let since = Date.now();
  await pollUntil(
    async () => {
      const lsn = await pg.query('SELECT pg_current_wal_lsn()');
      if (lsn !== last) [last, since] = [lsn, Date.now()];
      return Date.now() - since >= 1500;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'the WAL to stand still' },
  );
}

const signUp = (stack, campaignId, n, domain, ledger) =>
  mapLimit(
    Array.from({ length: n }, (_, i) => i),
    16,
    (i) => signUpPerson(stack, campaignId, i, ledger, { prefix: 'dc', extra: { email: `i${i}@${domain}` } }),
  );

const mailCount = async (domain) => {
  const res = await fetch(`${SHARED_MAILPIT_API}/api/v1/search?limit=1&query=${encodeURIComponent(`to:${domain}`)}`);
  return (await res.json()).messages_count ?? 0;
};

/**
 * Runs the whole workload on a fresh stack of `root`'s: one phase per event kind (`n` of each), then a backlog
 * of `drainPeople` × 8 clicks drained by one worker. Returns the phases' costs, the idle rate, the drain and the
 * cluster's settings (every pg_settings value, by name).
 */
export async function measureRoot(root, { n, drainPeople, log }) {
  root = resolve(root);
  const tk = await import(pathToFileURL(join(root, 'packages/testkit/dist/index.js')).href);
  const run = Math.random().toString(36).slice(2, 8);
  const cleanups = [];
  const phases = [];
  const notes = [];
  const load = { before: loadavg(), after: null };
  const t0 = performance.now();
  let pg;
  try {
    const postgres = await tk.startPostgres('dbcost');
    cleanups.push(() => postgres.remove());
    const dataDir = readFileSync(join(tk.REPO_ROOT, '.run/faults', `pg-dbcost-${postgres.port}`, 'datadir'), 'utf8');
    const postmaster = () => Number(readFileSync(join(dataDir.trim(), 'postmaster.pid'), 'utf8').split('\n')[0]);
    pg = await enableStatements(postgres, psqlSession(postgres.url));
    const settings = JSON.parse(await pg.query('SELECT json_object_agg(name, current_setting(name)) FROM pg_settings'));
    const ferret = await tk.startFerretDb('dbcost', { postgresUrl: postgres.url });
    cleanups.push(() => ferret.stop());
    const redis = await startRedis('dbcost');
    cleanups.push(() => redis.remove());
    const dbName = uniqueName('dbcost');
    const stack = await tk.createStack('dbcost', {
      ...CASE_ENV,
      MONGO_URL: `${ferret.base}/${dbName}`,
      REDIS_URL: redis.url,
      SMTP_URL: SHARED_SMTP_URL,
      REMINDER_SWEEP_SECONDS: '1',
    });
    cleanups.push(() => stack.stop());
    const a = await seedCampaign(stack, { requirements: { hashtags: [REQUIRED_TAG] } });
    const reminded = await seedCampaign(stack, {
      reminders: {
        purchase: { firstAfterSeconds: REMIND_AFTER_S, everySeconds: 3600, max: 1 },
        review: { firstAfterSeconds: 3600, everySeconds: 3600, max: 1 },
      },
    });
    const ledger = new Ledger();
    const w = { stack, campaignId: a.campaignId, apiKey: a.apiKey, brandId: a.brandId, people: [] };
    const measure = async (kind, events, drive, applied) => {
      const phase = await startPhase(pg, postmaster(), { statements: true });
      await drive();
      await applied();
      await quiet(pg);
      const cost = await phase.end(await catalogue(pg, dbName));
      phases.push({ kind, events, ...cost });
      log(
        `${kind}: ${(cost.walBytes / events / 1024).toFixed(1)} KB WAL, ${(cost.indexEntries / events).toFixed(1)} ` +
          `index entries, ${((cost.cpuSeconds * 1000) / events).toFixed(2)} ms PG CPU per event (${cost.seconds.toFixed(1)} s` +
          `, ${cost.walFpi} full-page images, ${cost.autovacuums} autovacuums, ${cost.autoanalyzes} autoanalyzes)`,
      );
      return cost;
    };
    const drained = () =>
      pollUntil(async () => (await pendingJobs(stack)) === 0, { timeoutMs: 120_000, intervalMs: 200, what: 'queues' });
    const checked = async (what, workload = w, book = ledger) => {
      const r = await verify(workload, book, { details: what === 'submission' });
      if (r.lost || r.twice || r.statusErrors)
        throw new Error(`${what}: ${JSON.stringify({ ...r, mismatches: r.mismatches.slice(0, 3) })}`);
    };
    const allListed = (workload, count) =>
      pollUntil(async () => (await listAll(workload)).size === count, {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: 'sign-ups',
      });

    await quiet(pg);
    const idle = await startPhase(pg, postmaster(), { statements: false });
    await sleep(10_000);
    const idleCost = await idle.end(await catalogue(pg, dbName));
    log(`idle 10 s: ${idleCost.walBytes} B WAL, ${(idleCost.cpuSeconds * 1000).toFixed(0)} ms PG CPU`);

    await measure(
      'sign-up',
      n,
      async () => (w.people = await signUp(stack, a.campaignId, n, `a${run}.example.com`, ledger)),
      async () => {
        await drained();
        await allListed(w, n);
      },
    );
    await checked('sign-up');
    for (const [kind, event] of [
      ['first purchase click', 'purchase'],
      ['later purchase click', 'purchase'],
      ['review click', 'review'],
      ['submission', 'submission'],
    ]) {
      await measure(kind, n, () => mapLimit(w.people, 16, (p) => fireEvent(w, ledger, p, event)), drained);
      await checked(kind);
    }

    // Reminders: a campaign whose first purchase reminder is due REMIND_AFTER_S after the sign-up; its sign-ups
    // are not measured, the window opens 2 s before the first reminder is due and closes once all were emailed.
    const domain = `r${run}.example.com`;
    const signedAt = Date.now();
    await signUp(stack, reminded.campaignId, n, domain);
    await drained();
    const opensAt = signedAt + (REMIND_AFTER_S - 2) * 1000;
    if (Date.now() > opensAt) notes.push('reminders: the sign-ups took longer than the reminder delay');
    await sleep(Math.max(0, opensAt - Date.now()));
    await quiet(pg);
    const early = await mailCount(domain);
    await measure(
      'reminder sent (email)',
      n - early,
      async () => undefined,
      () =>
        pollUntil(async () => (await mailCount(domain)) >= n, {
          timeoutMs: 180_000,
          intervalMs: 500,
          what: 'reminders',
        }),
    );
    if (early) notes.push(`reminders: ${early} were sent before the window opened and are not counted`);

    // The backlog: a fresh campaign's influencers (sign-ups not measured), then, with no worker running, each
    // one's clicks through ingest; one worker starts on the paused queue, and the clock runs from the queue's
    // resume until it is empty (drainRate, as e2e-load times it).
    const d = await seedCampaign(stack);
    const dLedger = new Ledger();
    const dw = { stack, campaignId: d.campaignId, apiKey: d.apiKey, brandId: d.brandId, people: [] };
    dw.people = await signUp(stack, d.campaignId, drainPeople, `d${run}.example.com`, dLedger);
    await drained();
    await allListed(dw, drainPeople);
    await stack.apps.worker.stop();
    for (const kind of DRAIN_CLICKS) await mapLimit(dw.people, 16, (p) => fireEvent(dw, dLedger, p, kind));
    const events = drainPeople * DRAIN_CLICKS.length;
    await quiet(pg);
    let rate;
    const cost = await measure(
      'backlog drain, 1 worker',
      events,
      async () => (rate = await drainRate(stack, 1, events)),
      drained,
    );
    Object.assign(phases.at(-1), { drain: true, drainSeconds: rate.seconds, eventsPerSecond: rate.eventsPerSecond });
    log(
      `backlog drain: ${events} clicks in ${rate.seconds.toFixed(1)} s, ${Math.round(rate.eventsPerSecond)} events/s`,
    );
    await checked('backlog drain', dw, dLedger);
    load.after = loadavg();
    return {
      root,
      commit: commitOf(root),
      seconds: (performance.now() - t0) / 1000,
      settings,
      idle: idleCost,
      phases,
      drain: { events, seconds: rate.seconds, eventsPerSecond: rate.eventsPerSecond, walBytes: cost.walBytes },
      notes,
      load,
    };
  } finally {
    pg?.close();
    for (const c of cleanups.reverse()) await c().catch((err) => log(`cleanup: ${err.message}`));
  }
}
