// What one event costs PostgreSQL (issue 24, "measure first"): N influencers driven through the real stack
// (ingest, worker, api as processes; FerretDB over a PostgreSQL cluster of the bench's own, so no other
// database's WAL or CPU is counted), one phase per event kind, each measured from the moment its first event is
// sent until the worker has applied all of them and the WAL stands still: WAL bytes and records, heap tuples
// written, index entries written (derived: inserts and non-HOT updates × the table's indexes), PostgreSQL CPU
// (the cluster's processes, reaped children included) and the top statements (pg_stat_statements, loaded in
// this cluster only). Today's main only: no `--root` comparison (see README, "Measured").
//   node bench/db-cost.bench.mjs [--n 500]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createStack,
  pollUntil,
  REPO_ROOT,
  seedCampaign,
  SHARED_MAILPIT_API,
  SHARED_SMTP_URL,
  startFerretDb,
  startPostgres,
  uniqueName,
} from '@seedline/testkit';
import { CASE_ENV } from './faults/lib/case.mjs';
import { mapLimit, sleep } from './faults/lib/load.mjs';
import { startRedis } from './faults/lib/services.mjs';
import { fireEvent, Ledger, listAll, pendingJobs, REQUIRED_TAG, signUpPerson, verify } from './faults/lib/workload.mjs';
import { catalogue, psqlSession, startPhase } from './lib/pg-cost.mjs';

const REMIND_AFTER_S = 40;

/** pg_stat_statements in this cluster only: preloading it needs a restart, which only an own cluster allows. */
async function enableStatements(postgres, pg) {
  await pg.query(
    'ALTER SYSTEM SET shared_preload_libraries = pg_cron, pg_documentdb_core, pg_documentdb, pg_stat_statements',
  );
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

export default async function run(ctx = {}) {
  const log = ctx.log ?? ((m) => process.stderr.write(`${m}\n`));
  const n = ctx.n ?? (ctx.quick ? 100 : 500);
  const run = Math.random().toString(36).slice(2, 8);
  const cleanups = [];
  const phases = [];
  const notes = [];
  const load = { before: loadavg(), after: null };
  let pg;
  try {
    const postgres = await startPostgres('dbcost');
    cleanups.push(() => postgres.remove());
    const dataDir = readFileSync(join(REPO_ROOT, '.run/faults', `pg-dbcost-${postgres.port}`, 'datadir'), 'utf8');
    const postmaster = () => Number(readFileSync(join(dataDir.trim(), 'postmaster.pid'), 'utf8').split('\n')[0]);
    pg = psqlSession(postgres.url);
    const statements = true;
    pg = await enableStatements(postgres, pg);
    const settings = await pg.query(
      "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN " +
        "('wal_compression','synchronous_commit','full_page_writes','wal_level','checkpoint_timeout','max_wal_size','shared_buffers')",
    );
    const ferret = await startFerretDb('dbcost', { postgresUrl: postgres.url });
    cleanups.push(() => ferret.stop());
    const redis = await startRedis('dbcost');
    cleanups.push(() => redis.remove());
    const dbName = uniqueName('dbcost');
    const stack = await createStack('dbcost', {
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
      const phase = await startPhase(pg, postmaster(), { statements });
      await drive();
      await applied();
      await quiet(pg);
      const cost = await phase.end(await catalogue(pg, dbName));
      phases.push({ kind, events, ...cost });
      log(
        `${kind}: ${(cost.walBytes / events / 1024).toFixed(1)} KB WAL, ${(cost.indexEntries / events).toFixed(1)} ` +
          `index entries, ${((cost.cpuSeconds * 1000) / events).toFixed(2)} ms PG CPU per event (${cost.seconds.toFixed(1)} s)`,
      );
    };
    const drained = () =>
      pollUntil(async () => (await pendingJobs(stack)) === 0, { timeoutMs: 120_000, intervalMs: 200, what: 'queues' });
    const checked = async (what) => {
      const r = await verify(w, ledger, { details: what === 'submission' });
      if (r.lost || r.twice || r.statusErrors)
        throw new Error(`${what}: ${JSON.stringify({ ...r, mismatches: r.mismatches.slice(0, 3) })}`);
    };

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
        await pollUntil(async () => (await listAll(w)).size === n, {
          timeoutMs: 60_000,
          intervalMs: 500,
          what: 'sign-ups',
        });
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
    load.after = loadavg();
    return report(phases, idleCost, { n, load, settings, statements, notes });
  } finally {
    pg?.close();
    for (const c of cleanups.reverse()) await c().catch((err) => log(`cleanup: ${err.message}`));
  }
}

function report(phases, idle, meta) {
  const per = (p, v) => v / p.events;
  // The idle stack's own rate (reminder sweeps, pollers, the bench's sampling), charged per second of a phase.
  const idleCpu = idle.cpuSeconds / idle.seconds;
  for (const p of phases) p.cpuNetSeconds = p.cpuSeconds - idleCpu * p.seconds;
  const rows = phases.flatMap((p) => [
    { metric: `${p.kind}: WAL per event`, value: Number((per(p, p.walBytes) / 1024).toFixed(1)), unit: 'KB' },
    {
      metric: `${p.kind}: heap tuples written per event`,
      value: Number(per(p, p.heapWrites).toFixed(2)),
      unit: 'tuples',
    },
    {
      metric: `${p.kind}: index entries written per event`,
      value: Number(per(p, p.indexEntries).toFixed(2)),
      unit: 'entries',
    },
    {
      metric: `${p.kind}: PostgreSQL CPU per event`,
      value: Number(per(p, p.cpuSeconds * 1000).toFixed(2)),
      unit: 'ms',
    },
    {
      metric: `${p.kind}: PostgreSQL CPU per event, idle rate taken off`,
      value: Number(per(p, p.cpuNetSeconds * 1000).toFixed(2)),
      unit: 'ms',
    },
  ]);
  rows.push({
    metric: 'idle stack, 10 s (background)',
    value: Number(((idle.cpuSeconds * 1000) / idle.seconds).toFixed(1)),
    unit: 'ms PG CPU/s',
    note: `${idle.walBytes} B WAL in ${idle.seconds.toFixed(1)} s; ${meta.n} influencers; load ${meta.load.before[0].toFixed(1)} → ${meta.load.after?.[0].toFixed(1)}; ${meta.settings}; pg_stat_statements ${meta.statements ? 'on (own cluster)' : 'off'}${meta.notes.length ? `; ${meta.notes.join('; ')}` : ''}`,
  });
  return { name: 'db-cost', rows, detail: { ...meta, idle, phases } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--n');
  const out = await run({ n: i > 0 ? Number(process.argv[i + 1]) : undefined });
  console.log(JSON.stringify(out.detail, null, 2));
  for (const r of out.rows) console.error(`${r.metric.padEnd(60)} ${String(r.value).padStart(10)} ${r.unit}`);
  process.exit(0);
}
