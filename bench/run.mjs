#!/usr/bin/env node
/**
 * `npm run bench`: runs every bench/*.bench.mjs one after another and prints ONE table (benchmark, metric,
 * value, unit, baseline, baseline value, ratio). Results go to bench/results/<timestamp>.json, latest.json
 * and latest.md. The machine's Redis limit (redis-benchmark) is measured in the same run, first, so every
 * figure can be read as a share of it (benchmarks receive it as `ctx.redisLimit`).
 *
 *   node bench/run.mjs [--quick] [--no-redis] [--out <name>] [--root <checkout>] [--current <checkout>]
 *                      [--rounds <n>] [name-filter ...]
 *
 * --out writes bench/results/<name>.json and .md instead of latest.* (for partial runs).
 * --root names a baseline checkout (built, with its own node_modules), given to benches as `ctx.root`: db-cost
 * and outside measure it side by side with this checkout; worker-roundtrips counts its db package. --current
 * (`ctx.current`): the checkout outside measures as the current side, when not this one. --rounds: how many
 * times db-cost measures each of the two, alternating the order (`ctx.rounds`, default 1).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startRedis } from './faults/lib/services.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const skipRedis = args.includes('--no-redis');
const valueOf = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const outName = valueOf('--out') ?? 'latest';
const root = valueOf('--root');
const current = valueOf('--current');
const rounds = valueOf('--rounds') && Number(valueOf('--rounds'));
const valued = new Set(
  ['--out', '--root', '--current', '--rounds'].map((f) => args.indexOf(f) + 1).filter((i) => i > 0),
);
const filters = args.filter((a, i) => !a.startsWith('--') && !valued.has(i));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

/** redis-benchmark against a Redis of our own configured like production (AOF everysec, noeviction). */
async function measureRedisLimit() {
  const redis = await startRedis('limit');
  try {
    const n = quick ? '20000' : '100000';
    const run = (extra) => {
      const csv = execFileSync(
        'redis-benchmark',
        ['-h', '127.0.0.1', '-p', String(redis.port), '-q', '--csv', '-t', 'set,lpush', '-n', n, ...extra],
        { encoding: 'utf8' },
      );
      const out = {};
      for (const line of csv.split('\n')) {
        const m = /^"(\w+)","([\d.]+)"/.exec(line);
        if (m) out[m[1]] = Number(m[2]);
      }
      return out;
    };
    const plain = run([]);
    const piped = run(['-P', '16']);
    return {
      setPerSecond: plain.SET,
      lpushPerSecond: plain.LPUSH,
      setPipelined16: piped.SET,
      lpushPipelined16: piped.LPUSH,
      requests: Number(n),
    };
  } finally {
    await redis.remove();
  }
}

function redisRows(limit) {
  return [
    { metric: 'SET, unpipelined (50 clients)', value: Math.round(limit.setPerSecond), unit: 'ops/s' },
    { metric: 'LPUSH, unpipelined (50 clients)', value: Math.round(limit.lpushPerSecond), unit: 'ops/s' },
    {
      metric: 'SET, pipelined ×16',
      value: Math.round(limit.setPipelined16),
      unit: 'ops/s',
      baseline: 'SET unpipelined',
      baselineValue: Math.round(limit.setPerSecond),
      ratio: limit.setPipelined16 / limit.setPerSecond,
    },
    {
      metric: 'LPUSH, pipelined ×16',
      value: Math.round(limit.lpushPipelined16),
      unit: 'ops/s',
      baseline: 'LPUSH unpipelined',
      baselineValue: Math.round(limit.lpushPerSecond),
      ratio: limit.lpushPipelined16 / limit.lpushPerSecond,
    },
  ];
}

const fmt = (v) =>
  v === undefined || v === null || v === ''
    ? ''
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? v.toLocaleString('en-US')
        : v.toLocaleString('en-US', { maximumFractionDigits: 2 })
      : String(v);

function tableRows(results) {
  return results.flatMap((r) =>
    r.error
      ? [[r.name, 'ERROR', r.error.split('\n')[0], '', '', '', '']]
      : r.rows.map((row) => [
          r.name,
          row.metric,
          fmt(row.value),
          row.unit ?? '',
          row.baseline ?? '',
          fmt(row.baselineValue),
          row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
        ]),
  );
}

const HEAD = ['benchmark', 'metric', 'value', 'unit', 'baseline', 'baseline value', 'ratio'];

function textTable(rows) {
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 2 || i === 5 || i === 6 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ');
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** `tables`: the tables some benches add (`markdown` in their result), after the common one. */
function markdown(rows, meta, tables) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [
    `# Benchmark results`,
    '',
    `${meta.finishedAt} — ${meta.mode} run on ${meta.machine}. Other processes may have shared the machine; read figures as this run's, next to baselines measured in the same run.`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map((_, i) => (i === 2 || i === 5 || i === 6 ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...tables.flatMap((t) => [t, '']),
    ...meta.notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
const startedAt = new Date();
const results = [];
let redisLimit;
if (!skipRedis) {
  log('measuring the Redis limit (redis-benchmark)');
  try {
    redisLimit = await measureRedisLimit();
    results.push({ name: 'redis-limit', rows: redisRows(redisLimit) });
  } catch (err) {
    results.push({ name: 'redis-limit', error: err.message, rows: [] });
  }
}
for (const file of files) {
  const name = file.replace(/\.bench\.mjs$/, '');
  log(`${name}${quick ? ' (quick)' : ''}`);
  const t0 = performance.now();
  const loadBefore = loadavg()[0];
  try {
    const mod = await import(pathToFileURL(join(here, file)).href);
    const out = await mod.default({
      quick,
      log: (m) => log(`  ${name}: ${m}`),
      resultsDir,
      redisLimit,
      root,
      current,
      rounds,
    });
    // The 1-minute load average before and after: on a shared machine it says how contended the run was.
    results.push({
      ...out,
      name: out?.name ?? name,
      file,
      seconds: (performance.now() - t0) / 1000,
      loadAverage: [loadBefore, loadavg()[0]],
    });
  } catch (err) {
    log(`  ${name} failed: ${err.stack ?? err}`);
    results.push({ name, file, error: String(err.message ?? err), rows: [], seconds: (performance.now() - t0) / 1000 });
  }
}

const rows = tableRows(results);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const meta = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine,
  filters,
  notes: [
    ...results
      .filter((r) => r.loadAverage)
      .map(
        (r) =>
          `${r.name}: 1-minute load average ${r.loadAverage.map((x) => x.toFixed(1)).join(' → ')} on ${cpus().length} cores`,
      ),
    ...results.flatMap((r) =>
      (r.rows ?? []).filter((row) => row.note).map((row) => `${r.name} — ${row.metric}: ${row.note}`),
    ),
  ],
};
const tables = results.filter((r) => r.markdown).map((r) => r.markdown);
console.log([textTable(rows), ...tables].join('\n\n'));
mkdirSync(resultsDir, { recursive: true });
const json = JSON.stringify({ ...meta, redisLimit, results }, null, 2);
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
writeFileSync(join(resultsDir, `${stamp}.json`), json);
writeFileSync(join(resultsDir, `${outName}.json`), json);
writeFileSync(join(resultsDir, `${outName}.md`), markdown(rows, meta, tables));
log(`wrote bench/results/${stamp}.json, ${outName}.json, ${outName}.md`);
process.exit(results.some((r) => r.error) ? 1 : 0);
