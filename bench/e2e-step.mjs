/**
 * Where the time goes in e2e-load's steps (a diagnosis, not a bench: `npm run bench` does not run it). The same
 * stack and load as e2e-load, one step per rate in RATES (default 500 ev/s) of SECS seconds (default 40). Prints
 * per step freshness, acknowledgement, redirect and submission p50/p99, CPU per process, and for each process's
 * main thread the ms a second it ran and the ms a second it waited, runnable, for a core (/proc/<pid>/schedstat):
 * on a shared 2-core machine the second says how much of a latency is the machine's other work. The apps log
 * their event-loop delay every 5 s (`ELD ... p99=` lines, bench/lib/event-loop-delay.mjs); PROF_DIR adds
 * --cpu-prof; STACK_ENV (JSON) adds settings to the apps.
 *
 *   RATES=500,750 SECS=40 node bench/e2e-step.mjs
 */
import { percentile } from './faults/lib/load.mjs';
import { cpuMeter, pidsNamed } from './faults/lib/procstat.mjs';
import { driveLoad, Ledger, seedWorkload } from './faults/lib/workload.mjs';
import { probeFreshness } from './lib/freshness.mjs';
import { ownStack } from './lib/own-stack.mjs';
import { drained } from './lib/e2e-queue.mjs';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** [on-CPU ns, run-queue wait ns] of a process's main thread (its event loop), from /proc/<pid>/schedstat. */
const sched = (pid) => {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return [run, wait];
  } catch {
    return [0, 0];
  }
};

const durationMs = Number(process.env.SECS ?? 40) * 1000;
const prof = process.env.PROF_DIR;
const env = {
  ...JSON.parse(process.env.STACK_ENV ?? '{}'),
  NODE_OPTIONS: [
    `--import ${new URL('./lib/event-loop-delay.mjs', import.meta.url).href}`,
    prof ? `--cpu-prof --cpu-prof-dir=${prof}` : '',
  ].join(' '),
};
const own = await ownStack('diag', env);
const { stack, redis, ferret } = own;
try {
  const ledger = new Ledger();
  const w = await seedWorkload(stack, 200, ledger);
  const probes = w.people.slice(0, 20);
  const loadPeople = { ...w, people: w.people.slice(20) };
  const groups = {
    ingest: () => [stack.apps.ingest?.proc.pid],
    worker: () => [stack.apps.worker?.proc.pid],
    api: () => [stack.apps.api?.proc.pid],
    redis: () => [redis.pid],
    ferretdb: () => [ferret.pid],
    postgres: () => pidsNamed('postgres'),
    loadgen: () => [process.pid],
  };
  for (const r of (process.env.RATES ?? '500').split(',').map(Number)) {
    const meter = cpuMeter(groups);
    const main = {
      ingest: stack.apps.ingest.proc.pid,
      worker: stack.apps.worker.proc.pid,
      api: stack.apps.api.proc.pid,
      redis: redis.pid,
      loadgen: process.pid,
    };
    const s0 = Object.fromEntries(Object.entries(main).map(([k, pid]) => [k, sched(pid)]));
    const t0 = performance.now();
    meter.start();
    const [load, fresh] = await Promise.all([
      driveLoad(loadPeople, ledger, { rate: r, durationMs }),
      probeFreshness(w, probes, durationMs),
    ]);
    const cpu = meter.stop();
    const secs = (performance.now() - t0) / 1000;
    // ms a second each main thread spent waiting for a core while runnable (run queue), next to its ms on a core
    const queueWait = Object.fromEntries(
      Object.entries(main).map(([k, pid]) => {
        const [r, q] = sched(pid);
        return [
          k,
          `${Math.round((r - s0[k][0]) / 1e6 / secs)} on / ${Math.round((q - s0[k][1]) / 1e6 / secs)} waiting ms/s`,
        ];
      }),
    );
    const p = (a, q) => Math.round(percentile(a ?? [], q));
    console.log(
      JSON.stringify({
        rate: r,
        fresh: [p(fresh.samples, 50), p(fresh.samples, 99)],
        unseen: fresh.unseen,
        ack: [p(load.latencies, 50), p(load.latencies, 99)],
        redirect: [p(load.latenciesByStatus['302'], 50), p(load.latenciesByStatus['302'], 99)],
        sub: [p(load.latenciesByStatus['202'], 50), p(load.latenciesByStatus['202'], 99)],
        statuses: load.statuses,
        skipped: load.skipped,
        queueWait,
        loadavg: loadavg()[0],
        cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, +v.toFixed(2)])),
      }),
    );
    await drained(stack, 120_000).catch((e) => console.log(e.message));
  }
  console.log('logs:', stack.apps.ingest.logFile, stack.apps.worker.logFile, stack.apps.api.logFile);
} finally {
  await own.stop();
}
