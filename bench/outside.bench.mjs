/**
 * Issue 24's third "Done when", measured from outside (HTTP only) on stacks started the way `npm start` starts
 * them, for two checkouts side by side in one run: the baseline (`--root`) first, then the current one
 * (`--current`, by default the checkout this file is in). Each gets a fresh PostgreSQL cluster made by its own
 * scripts/services/postgres.sh, a FerretDB, a Redis and a database of its own (bench/lib/npm-start.mjs).
 *
 * - (a) 6,000 influencers sign up; then their first purchase clicks at 1,000/s, each from an address of its own:
 *   seconds from the last click acknowledged to the summary counting all 6,000 purchases (read every 100 ms),
 *   and the redirects' p99. Target ≤ 1 s.
 * - (b) 20,000 sign-ups through the ingest, 200 in flight: seconds from the first sent to the summary's total
 *   counting them all. Target ≤ 20 s.
 * - (c) right after (b) and 2,000 first purchase clicks at 1,000/s, 30 sequential summary reads: p50 and p95.
 *   Target p95 ≤ 50 ms.
 *
 *   node bench/run.mjs --no-redis outside --root /work/base-main [--current <checkout>] [--quick]
 *   node bench/outside.bench.mjs --root <checkout> [--current <checkout>] [--quick]
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { clicksPhase, signupsPhase } from './lib/outside-phases.mjs';
import { commitOf } from './lib/db-cost-root.mjs';
import { assertBuilt, startCheckout } from './lib/npm-start.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const FULL = { clicks: 6000, clickRate: 1000, signups: 20_000, inFlight: 200, burst: 2000, reads: 30 };
const QUICK = { clicks: 600, clickRate: 300, signups: 2000, inFlight: 200, burst: 200, reads: 30 };
const TARGET = { clicksSeconds: 1, signupsSeconds: 20, readsP95: 50 };

async function measure(root, label, sizes, log) {
  const own = await startCheckout(root, label, log);
  try {
    const a = await clicksPhase(own.stack, { n: sizes.clicks, rate: sizes.clickRate, inFlight: sizes.inFlight, log });
    log(`  (a) last ack → summary ${a.seconds.toFixed(2)} s, redirect p99 ${Math.round(a.redirectP99)} ms`);
    const bc = await signupsPhase(own.stack, {
      n: sizes.signups,
      inFlight: sizes.inFlight,
      clicks: sizes.burst,
      rate: sizes.clickRate,
      reads: sizes.reads,
      log,
    });
    log(`  (c) summary p50 ${bc.reads.p50.toFixed(1)} ms, p95 ${bc.reads.p95.toFixed(1)} ms`);
    return { root: own.stack.root, commit: own.commit, stale: own.stale, clicks: a, ...bc };
  } finally {
    await own.stop();
  }
}

const r1 = (v) => Math.round(v * 10) / 10;
const r2 = (v) => Math.round(v * 100) / 100;
const loadNote = (m) => `load ${m.load.map((x) => x.toFixed(1)).join(' → ')}`;

/** Table rows: the current side's value, the baseline's next to it and current/base. */
function rows(cur, base, sizes) {
  const say = (m, f) => (m.error ? 'failed' : f(m));
  const both = (f) =>
    base ? `current ${cur.commit}: ${say(cur, f)}; base ${base.commit}: ${say(base, f)}` : say(cur, f);
  const { clicks: n, clickRate: rate, signups, inFlight, burst, reads } = sizes;
  const who = (m) =>
    `${m.root} at ${m.commit}${m.stale?.length ? ` (built before its latest source changes in ${m.stale.join(', ')})` : ''}`;
  const checkouts = `checkouts: current ${who(cur)}${base ? `, base ${who(base)}` : ''}`;
  const after = `over ${reads} sequential reads after (b) and ${burst} clicks`;
  const specs = [
    [
      `(a) last of ${n} first purchase clicks at ${rate}/s acknowledged → all in the summary`,
      's',
      (m) => r2(m.clicks.seconds),
      `target ≤ ${TARGET.clicksSeconds} s; summary read every 100 ms; ${checkouts}; ${both((m) => `${m.clicks.redirected}/${n} redirected${m.clicks.redirected < n ? ` (${JSON.stringify(m.clicks.statuses)})` : ''}, ${m.clicks.skipped} skipped, sent at ${Math.round(m.clicks.sentPerSecond)}/s, ${loadNote(m.clicks)}, sign-ups sent again ${m.clicks.signupRetries}`)}`,
    ],
    [
      `(a) redirect p99 at ${rate}/s`,
      'ms',
      (m) => Math.round(m.clicks.redirectP99),
      `from the scheduled send time (open loop); ${both((m) => `p50 ${Math.round(m.clicks.redirectP50)} ms`)}`,
    ],
    [
      `(b) ${signups} sign-ups, ${inFlight} in flight: first sent → all in the summary's total`,
      's',
      (m) => r1(m.signups.seconds),
      `target ≤ ${TARGET.signupsSeconds} s; ${both((m) => `acknowledged in ${m.signups.ackSeconds.toFixed(1)} s, ${m.signups.retries} sent again, ${loadNote(m.signups)}`)}`,
    ],
    [
      `(c) summary p50 ${after}`,
      'ms',
      (m) => r1(m.reads.p50),
      `reads start when the last of ${burst} first purchase clicks at ${rate}/s is acknowledged; ${both((m) => loadNote(m.reads))}`,
    ],
    [
      `(c) summary p95 ${after}`,
      'ms',
      (m) => r1(m.reads.p95),
      `target ≤ ${TARGET.readsP95} ms; ${both((m) => `max ${r1(m.reads.p99)} ms`)}`,
    ],
  ];
  const failures = [cur, base]
    .filter((m) => m?.error)
    .map((m) => ({
      metric: `${m === cur ? 'current' : 'base'} side failed`,
      value: 'failed',
      note: `${m.root}: ${m.error}`,
    }));
  return [
    ...failures,
    ...specs.map(([metric, unit, pick, note]) => {
      const value = cur.error ? 'failed' : pick(cur);
      if (!base) return { metric, value, unit, note };
      const baselineValue = base.error ? 'failed' : pick(base);
      const ratio = cur.error || base.error || !baselineValue ? undefined : value / baselineValue;
      return { metric, value, unit, baseline: `${base.commit} (--root)`, baselineValue, ratio, note };
    }),
  ];
}

/** One side, or what failed in it: a stall of the shared machine on one side should not lose the other. */
async function side(root, label, sizes, log) {
  try {
    return await measure(root, label, sizes, log);
  } catch (err) {
    log(`${root} failed: ${err.stack ?? err}`);
    return { root, commit: commitOf(root), error: String(err.message ?? err).split('\n')[0] };
  }
}

export default async function run(ctx = {}) {
  const log = ctx.log ?? (() => undefined);
  const sizes = ctx.quick ? QUICK : FULL;
  const current = resolve(ctx.current ?? resolve(here, '..'));
  const root = ctx.root && resolve(ctx.root);
  // Both checked before either is measured: a missing build should not cost the other side's half hour.
  for (const r of [root, current].filter(Boolean)) assertBuilt(r);
  let base = null;
  if (root) {
    log(`baseline ${root}`);
    base = await side(root, 'outside-base', sizes, log);
  }
  log(`current ${current}`);
  const cur = await side(current, 'outside-cur', sizes, log);
  return {
    name: 'outside',
    machine:
      'each checkout by its own scripts/start.mjs over its own PostgreSQL, FerretDB and Redis; load generator on the same 2 cores',
    rows: rows(cur, base, sizes),
    detail: { sizes, current: cur, base },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (flag) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
  const out = await run({
    quick: process.argv.includes('--quick'),
    root: arg('--root'),
    current: arg('--current'),
    log: (m) => process.stderr.write(`[outside] ${m}\n`),
  });
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}
