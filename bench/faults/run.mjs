#!/usr/bin/env node
/**
 * `npm run test:faults`: each case in bench/faults/cases starts the real stack, drives a known workload,
 * records every acknowledged event (302/202 received), injects its fault and checks the documents the API
 * shows against that ground truth. Then the logs of the whole run are searched for secrets and raw IPs.
 *
 *   node bench/faults/run.mjs [--ci] [--out <path-without-extension>] [case-name ...]
 *
 * --ci runs every case with shorter loads and outages (Redis down 6 s instead of 20 s, database frozen 10 s
 * instead of 30 s, PostgreSQL down ~24 s against a 10 s retry budget instead of ~3.4 min against 100 s) to fit
 * CI; writes bench/results/faults-ci-latest.* unless --out says otherwise.
 *
 * Stated durability bound: Redis runs with AOF `appendfsync everysec`, which may lose at most about the last
 * second of acknowledged writes on a hard kill; the Redis case allows exactly the events acknowledged in the
 * last second before its kill, and reports what was really lost. Every other case allows no loss at all.
 * Exit status is non-zero if any case loses or double-counts beyond that, answers 5xx to malformed input,
 * takes more than 60 s to recover, or fails a security check.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LABEL_PREFIX } from './lib/case.mjs';
import { closeIdleSockets } from './lib/http.mjs';
import { scanLogs } from './lib/logscan.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const ci = args.includes('--ci');
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? args[outIdx + 1] : join(here, '..', 'results', ci ? 'faults-ci-latest' : 'faults-latest');
const filters = args.filter((a, i) => !a.startsWith('--') && i !== outIdx + 1);
const log = (m) => process.stderr.write(`[faults] ${m}\n`);

const ORDER = [
  'worker-sigkill',
  'sigterm-all',
  'redis-outage',
  'db-freeze',
  'db-crash',
  'db-outage',
  'payout-chaos',
  'dup-reorder',
  'flood',
  'hostile',
  'instagram-flaky',
  'security',
];
const files = readdirSync(join(here, 'cases')).filter((f) => f.endsWith('.mjs'));
const cases = [];
for (const f of files) cases.push((await import(pathToFileURL(join(here, 'cases', f)).href)).default);
cases.sort((a, b) => (ORDER.indexOf(a.name) + 1 || 99) - (ORDER.indexOf(b.name) + 1 || 99));
const selected = cases.filter((c) => (filters.length === 0 || filters.includes(c.name)) && (!ci || c.ci));

const since = Date.now();
const rows = [];
for (const c of selected) {
  log(`${c.name}: ${c.title}${ci ? ' (CI durations)' : ''}`);
  const row = await c.run({ ci, log: (m) => log(`  ${m}`) });
  rows.push(row);
  log(`  → ${row.pass ? 'PASS' : 'FAIL'}${row.error ? `: ${row.error.split('\n')[0]}` : ''}`);
  for (const ch of row.checks.filter((x) => !x.ok)) log(`    ✗ ${ch.name}: ${ch.detail}`);
}
closeIdleSockets();

const scan = scanLogs({ prefix: `${LABEL_PREFIX}-`, since });
rows.push({
  case: 'logs',
  title: 'Secrets and raw client IPs absent from every log of the run',
  checks: [
    { name: 'logs were written', ok: scan.files > 0, detail: `${scan.files} files, ${scan.lines} lines` },
    {
      name: 'no secret or raw IP in any log line',
      ok: scan.findings.length === 0,
      detail: JSON.stringify(scan.findings.slice(0, 5)),
    },
  ],
  notes: `${scan.files} log files, ${scan.lines} lines, ${scan.secrets} secrets and 3 client address ranges searched`,
  pass: scan.files > 0 && scan.findings.length === 0,
});

const HEAD = [
  'case',
  'events acknowledged',
  'events found',
  'lost',
  'counted twice',
  'counter drift',
  '5xx answered',
  'recovery time',
  'result',
];
const driftCell = (d) =>
  !d
    ? '–'
    : !d.measured
      ? 'not measured'
      : Object.keys(d.drift).length === 0 && d.miscounted === 0
        ? '0'
        : JSON.stringify({ ...d.drift, ...(d.miscounted ? { miscounted: d.miscounted } : {}) });
const cell = (r) =>
  [
    r.case,
    r.acknowledged ?? '–',
    r.found ?? '–',
    r.lost === undefined || r.lost === null ? '–' : `${r.lost}${r.allowedLoss ? ` (≤ ${r.allowedLoss} allowed)` : ''}`,
    r.twice ?? '–',
    driftCell(r.drift),
    r.fiveXX === undefined
      ? '–'
      : `${r.fiveXX}${r.fiveXXBadInput ? ` (${r.fiveXXBadInput} to bad input)` : r.case === 'flood' ? ' (0 to bad input)' : ''}`,
    r.recoveryMs === undefined ? '–' : r.recoveryMs === null ? 'never' : `${(r.recoveryMs / 1000).toFixed(1)} s`,
    r.pass ? 'PASS' : 'FAIL',
  ].map(String);
const table = rows.map(cell);
const widths = HEAD.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
console.log(
  [HEAD, widths.map((w) => '-'.repeat(w)), ...table]
    .map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  '))
    .join('\n'),
);
const failed = rows.filter((r) => !r.pass);
for (const r of failed) {
  console.log(`\n${r.case} FAILED${r.error ? `: ${r.error}` : ''}`);
  for (const ch of r.checks.filter((x) => !x.ok)) console.log(`  ✗ ${ch.name}: ${ch.detail}`);
  if (r.mismatches?.length) console.log(`  first mismatches: ${JSON.stringify(r.mismatches)}`);
}

const meta = { finishedAt: new Date().toISOString(), mode: ci ? 'ci' : 'full', seconds: (Date.now() - since) / 1000 };
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.json`, JSON.stringify({ ...meta, rows }, null, 2));
writeFileSync(
  `${out}.md`,
  [
    `# Fault-injection results (${meta.mode} run, ${meta.finishedAt}, ${Math.round(meta.seconds)} s)`,
    '',
    'Redis runs with AOF `appendfsync everysec`: it may lose at most about the last second of events acknowledged before a hard Redis kill; the redis-outage case allows exactly those and shows what was really lost. No other case allows any loss.',
    '',
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map(() => '---').join(' | ')} |`,
    ...table.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...rows.map(
      (r) => `- **${r.case}** — ${r.title}. ${r.notes ?? ''}${r.error ? ` Error: ${r.error.split('\n')[0]}` : ''}`,
    ),
    '',
  ].join('\n'),
);
log(`wrote ${out}.json and .md`);
process.exit(failed.length ? 1 : 0);
