// What one event costs PostgreSQL (issue 24, "measure first"): N influencers driven through the real stack
// (ingest, worker, api as processes; FerretDB over a PostgreSQL cluster of the bench's own, so no other
// database's WAL or CPU is counted), one phase per event kind, each measured from the moment its first event is
// sent until the worker has applied all of them and the WAL stands still: WAL bytes and records, heap tuples
// written, index entries written (derived: inserts and non-HOT updates × the table's indexes), PostgreSQL CPU
// (the cluster's processes, reaped children included) and the top statements (pg_stat_statements, loaded in
// this cluster only). Last, a backlog of clicks enqueued with no worker running, drained by one worker: events/s.
//
// With `--root <checkout>` (a built checkout with its own node_modules: the baseline) one run measures both, the
// baseline first, each on a cluster made by its own scripts/services/postgres.sh, with its own apps and a fresh
// FerretDB, Redis and database (bench/lib/db-cost-root.mjs), and reports them side by side. `--rounds 2` runs
// base, current, current, base, so a drift of the machine's load falls on both alike.
//   node bench/db-cost.bench.mjs [--quick] [--n 500] [--root <checkout>] [--rounds 1]
//   node bench/run.mjs --no-redis [--quick] [--root <checkout>] [--rounds 2] --out db-cost-latest db-cost
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { report } from './lib/db-cost-report.mjs';
import { measureRoot } from './lib/db-cost-root.mjs';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export default async function run(ctx = {}) {
  const log = ctx.log ?? ((m) => process.stderr.write(`${m}\n`));
  const n = ctx.n ?? (ctx.quick ? 100 : 500);
  // 8 clicks each: a drain of a few seconds at today's ~1,000 events/s, longer than the worker's ramp-up.
  const drainPeople = ctx.quick ? 200 : 1000;
  const base = ctx.root ? resolve(ctx.root) : undefined;
  if (base === HERE) throw new Error(`--root ${ctx.root} is this checkout: name the baseline's`);
  const rounds = Math.max(1, ctx.rounds ?? 1);
  // Round 1 base then current, round 2 the other way round, and so on.
  const order = Array.from({ length: rounds }, (_, r) => (r % 2 ? [HERE, base] : [base, HERE]))
    .flat()
    .filter(Boolean);
  const turns = [];
  for (const [i, root] of order.entries()) {
    const who = root === base ? 'base' : 'current';
    log(`turn ${i + 1}/${order.length}: ${who} (${root})`);
    const turn = await measureRoot(root, { n, drainPeople, log: (m) => log(`${who}: ${m}`) });
    turns.push({ ...turn, order: i, who });
  }
  return report({
    turns: turns.filter((t) => t.who === 'current'),
    baseTurns: base ? turns.filter((t) => t.who === 'base') : undefined,
    meta: { n, drainPeople, rounds },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const out = await run({
    quick: process.argv.includes('--quick'),
    n: arg('--n') && Number(arg('--n')),
    root: arg('--root'),
    rounds: arg('--rounds') && Number(arg('--rounds')),
  });
  console.log(JSON.stringify(out.detail, null, 2));
  for (const r of out.rows)
    console.error(
      `${r.metric.padEnd(64)} ${String(r.value).padStart(10)} ${r.unit}` +
        (r.baseline ? `   ${r.baseline}: ${r.baselineValue} (${r.ratio?.toFixed(2)}×)` : ''),
    );
  if (out.markdown) console.error(`\n${out.markdown}`);
  process.exit(0);
}
