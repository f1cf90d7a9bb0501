/**
 * What brand webhooks cost the status pipeline (issue 23): the same open-loop mixed load (80 % purchase clicks,
 * 10 % review clicks, 10 % submissions) at e2e-load's sustained rate, first with no endpoint, then with three
 * endpoints subscribed to every event: one answering 200 at once, one that accepts the connection and never
 * answers (each attempt waits out WEBHOOK_DELIVERY_TIMEOUT_MS), one answering 500 (every event retried).
 *
 * Webhooks follow status changes, and an influencer's status moves at most three times: a load that cycles
 * over the same influencers moves none after its first seconds, and then no endpoint is ever called. So each
 * phase (and the warm-up) has a cohort of influencers of its own, signed up before the endpoints exist, each
 * sent EVENTS_PER_PERSON events in a row: changes (and webhooks) flow at a steady rate through the phase.
 *
 * Four phases in one run: no endpoint; one endpoint that hangs (the issue's first target, alone); then all
 * three; then no endpoint again (the endpoints deleted), so that the baseline brackets the phases with endpoints
 * and a drift over the run is not charged to the webhooks. Measured in each: freshness (probe click → visible in
 * GET influencer detail) p50/p99, the CPU per event of every process but the api (which serves only the probes'
 * reads, more the later a click shows; shown too), and the webhook queues' depths every 5 s.
 * Targets: a hanging receiver costs no status update more than 100 ms of freshness (hanging phase against none);
 * three endpoints cost at most 10 % (CPU per event; their freshness is shown too). "None" is both no-endpoint
 * phases together: their probes pooled for the p99, their CPU over their events; each is shown apart too. The
 * bench fails unless the `ok` receiver was told the current status of at least 90 % of the last
 * phase's influencers whose status moved.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pollUntil } from '@seedline/testkit';
import { send } from './faults/lib/http.mjs';
import { percentile, sleep } from './faults/lib/load.mjs';
import { cpuMeter, postgresBackendsOf } from './faults/lib/procstat.mjs';
import { driveLoad, Ledger, pendingJobs, seedWorkload } from './faults/lib/workload.mjs';
import { probeFreshness } from './lib/freshness.mjs';
import { pgPhase, topWaits } from './lib/pg-phase.mjs';
import { ownStack } from './lib/own-stack.mjs';
import { ninths, pooled, round, signed } from './lib/webhook-phase-stats.mjs';
import { deliveredShare, receivers, webhookJobsDue, webhookQueueTimeline } from './lib/webhook-receivers.mjs';

const FRESHNESS_BUDGET_MS = 100;
/** 8 probe clicks a second: ~360 samples a phase, so that p99 is not the slowest two or three */
const PROBE_EVERY_MS = 125;
/** influencers probed in turn, fresh ones each phase */
const PROBES_PER_PHASE = 20;
const OVERHEAD_BUDGET = 0.1;
const DELIVERED_FLOOR = 0.9;
const EVENTS_PER_PERSON = Number(process.env.WEBHOOKS_BENCH_EVENTS_PER_PERSON ?? 4);
/** the worker's "has endpoints" memory (2 s), and a margin */
const ENDPOINTS_NOTICED_MS = 2500;

/** Each influencer of the cohort EVENTS_PER_PERSON times in a row: driveLoad's event i goes to person i. */
const inTurn = (cohort) => cohort.flatMap((p) => Array.from({ length: EVENTS_PER_PERSON }, () => p));

export default async function run(ctx) {
  const quick = ctx.quick;
  const log = ctx.log ?? (() => undefined);
  const rate = Number(process.env.WEBHOOKS_BENCH_RATE ?? (quick ? 100 : 200));
  const durationMs = quick ? 15_000 : 45_000;
  const cohortSize = Math.ceil((rate * durationMs) / 1000 / EVENTS_PER_PERSON);
  const warmSize = Math.ceil(cohortSize / 3);
  const hooks = await receivers();
  // Local receivers on loopback over http: allowed for this bench only (the flag says so at start). The
  // production job lock (test stacks shorten it to 5 s): with 5 s, busy runs saw click jobs run twice.
  // The WEBHOOK_* settings below, when set for the bench, go to the worker (to compare settings in one tree);
  // BENCH_NODE_OPTIONS to every app as NODE_OPTIONS (`--require` a profiler hook: Node refuses `--cpu-prof` there).
  const passed = ['WEBHOOK_DB_POOL_SIZE', 'WEBHOOK_ENDPOINT_CONCURRENCY', 'WEBHOOK_CONCURRENCY'];
  const pool = {
    ...Object.fromEntries(passed.filter((k) => process.env[k]).map((k) => [k, process.env[k]])),
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  };
  const own = await ownStack('hooks', { WEBHOOK_ALLOW_PRIVATE: '1', WORKER_LOCK_MS: '30000', ...pool }).catch(
    async (err) => {
      await hooks.close();
      throw err;
    },
  );
  const { stack, redis, ferret } = own;
  try {
    const ledger = new Ledger();
    const probed = 4 * PROBES_PER_PHASE;
    log(`signing up ${probed + warmSize + 4 * cohortSize} influencers`);
    const w = await seedWorkload(stack, probed + warmSize + 4 * cohortSize, ledger);
    // Each phase probes influencers of its own: the detail read a probe polls returns the influencer's timeline,
    // which grows with every probe click, so shared probes made each phase's reads heavier than the one before.
    const probeSets = [0, 1, 2, 3].map((k) => w.people.slice(k * PROBES_PER_PHASE, (k + 1) * PROBES_PER_PHASE));
    const warm = w.people.slice(probed, probed + warmSize);
    const cohorts = [0, 1, 2, 3].map((k) =>
      w.people.slice(probed + warmSize + k * cohortSize, probed + warmSize + (k + 1) * cohortSize),
    );
    const groups = {
      ingest: () => [stack.apps.ingest?.proc.pid].filter(Boolean),
      worker: () => [stack.apps.worker?.proc.pid].filter(Boolean),
      api: () => [stack.apps.api?.proc.pid].filter(Boolean),
      redis: () => [redis.pid].filter(Boolean),
      // The machine's PostgreSQL serves others too: only the backends of this run's FerretDB count.
      'ferretdb + postgresql': () => [ferret.pid, ...postgresBackendsOf(ferret.pid)],
    };
    const settled = () =>
      pollUntil(async () => (await pendingJobs(stack)) === 0, {
        timeoutMs: 180_000,
        intervalMs: 200,
        what: 'the event queues to drain',
      }).catch((err) => log(`  ${err.message}`));
    const phase = async (name, cohort, probes) => {
      log(
        `${name}: ${rate} ev/s for ${durationMs / 1000} s, ${cohort.length} fresh influencers (${new Date().toISOString()})`,
      );
      const meter = cpuMeter(groups);
      // The load generator's own event loop: held up, it sends late and times probes late (not the stack's doing).
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const t0 = performance.now();
      const pg = await pgPhase();
      const queues = webhookQueueTimeline(stack);
      meter.start();
      const [load, fresh] = await Promise.all([
        driveLoad({ ...w, people: inTurn(cohort) }, ledger, { rate, durationMs }),
        probeFreshness(w, probes, durationMs, { everyMs: PROBE_EVERY_MS }),
      ]);
      loop.disable();
      await settled();
      // The CPU of the phase's events is counted until their webhooks are out too (fan-out, first attempts and
      // the 5 s retries): work a saturated pipeline put off is still theirs. Retries minutes away are not.
      await pollUntil(async () => (await webhookJobsDue(stack, 60_000)) === 0, {
        timeoutMs: 300_000,
        intervalMs: 500,
        what: 'the webhook queues to drain',
      }).catch((err) => log(`  ${err.message}`));
      const windowMs = performance.now() - t0;
      const cpu = meter.stop();
      const timeline = queues.stop();
      const db = await pg.end();
      const cores = Object.values(cpu).reduce((a, b) => a + b, 0);
      const out = {
        p50: percentile(fresh.samples, 50),
        p99: percentile(fresh.samples, 99),
        all: fresh.samples,
        samples: fresh.samples.length,
        unseen: fresh.unseen,
        offered: load.offered,
        windowMs,
        cpuMsPerEvent: (cores * windowMs) / load.offered,
        // The api serves only the probes here (the load goes to ingest, deliveries leave from the worker): its CPU
        // is the instrument's, and grows with the freshness it measures (a read every 50 ms until a click shows).
        stackMsPerEvent: ((cores - cpu.api) * windowMs) / load.offered,
        probeReads: fresh.reads,
        cpu,
        generatorLagMaxMs: loop.max / 1e6,
        walKbPerEvent: db.walBytes / 1024 / load.offered,
        commitsPerEvent: db.commits / load.offered,
        waits: `${topWaits(db.waits)} (${db.samples} samples)`,
        timeline,
      };
      log(
        `  ${JSON.stringify({ ...out, all: undefined, timeline: undefined, cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v)])) })}`,
      );
      log(
        `  webhook queues (s:events/ready/active/soon): ${timeline}; freshness p50 by ninths: ${ninths(fresh.samples)}`,
      );
      return out;
    };

    // Warm-up (JIT, connection pools, the first drain) so that the first measured phase is not charged for it.
    await driveLoad({ ...w, people: inTurn(warm) }, ledger, { rate, durationMs: durationMs / 3 });
    await settled();
    const first = await phase('no endpoints', cohorts[0], probeSets[0]);
    const before = { ...hooks.seen };
    if (before.ok + before.hang + before.fail > 0) throw new Error(`receivers called before any endpoint existed`);
    const endpointIds = [];
    const subscribe = async (urls) => {
      for (const url of urls) {
        const r = await send(`${stack.apiUrl}/v1/webhook-endpoints`, {
          method: 'POST',
          headers: { authorization: `Bearer ${w.apiKey}` },
          body: { url, description: `bench ${url.split('/').pop()}` },
        });
        if (r.status !== 201) throw new Error(`endpoint ${url}: ${r.status} ${r.text}`);
        endpointIds.push(r.body.id);
      }
      await sleep(ENDPOINTS_NOTICED_MS);
    };
    const [okUrl, hangUrl, failUrl] = hooks.urls;
    await subscribe([hangUrl]);
    const hanging = await phase('1 endpoint, hanging', cohorts[1], probeSets[1]);
    const seenBefore = { ...hooks.seen };
    await subscribe([okUrl, failUrl]);
    const withHooks = await phase('3 endpoints (200, hanging, 500)', cohorts[2], probeSets[2]);
    const seenInPhase = Object.fromEntries(Object.entries(hooks.seen).map(([k, v]) => [k, v - seenBefore[k]]));
    // Every change the phase made should reach `ok` soon after its queues drained; give stragglers 60 s.
    let delivered = await deliveredShare(w, cohorts[2], hooks.changes);
    const deadline = Date.now() + 60_000;
    while (delivered.covered < delivered.moved && Date.now() < deadline) {
      await sleep(2000);
      delivered = await deliveredShare(w, cohorts[2], hooks.changes);
    }
    const lag = hooks.lag();
    log(`  deliveries: ${JSON.stringify({ seenInPhase, delivered, lag })}`);
    if (delivered.share < DELIVERED_FLOOR)
      throw new Error(
        `webhooks not delivered: the 200 receiver was told the status of ${delivered.covered} of ${delivered.moved} influencers that moved (floor ${DELIVERED_FLOOR * 100} %); attempts seen ${JSON.stringify(seenInPhase)}`,
      );
    for (const id of endpointIds) {
      const r = await send(`${stack.apiUrl}/v1/webhook-endpoints/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${w.apiKey}` },
      });
      if (r.status < 200 || r.status >= 300) throw new Error(`deleting endpoint ${id}: ${r.status} ${r.text}`);
    }
    await sleep(ENDPOINTS_NOTICED_MS);
    const again = await phase('no endpoints again (deleted)', cohorts[3], probeSets[3]);
    const without = pooled(first, again);
    const hangCost = hanging.p99 - without.p99;
    const freshCost = withHooks.p99 - without.p99;
    const overhead = withHooks.stackMsPerEvent / without.stackMsPerEvent - 1;
    const rows = [
      {
        metric: `freshness p99, no webhook endpoint (${rate} ev/s)`,
        value: round(without.p99),
        unit: 'ms',
        note: `both no-endpoint phases, before and after the ones with endpoints: p50 ${Math.round(without.p50)} ms; ${without.samples} probes, ${without.unseen} unseen; apart: p99 ${round(first.p99)} then ${round(again.p99)} ms, p50 ${Math.round(first.p50)} then ${Math.round(again.p50)} ms, CPU per event ${round(first.cpuMsPerEvent)} then ${round(again.cpuMsPerEvent)} ms; load generator's event loop held up ${Math.round(without.generatorLagMaxMs)} ms at most`,
      },
      {
        metric: `freshness p99, 1 endpoint that hangs (${rate} ev/s)`,
        value: round(hanging.p99),
        unit: 'ms',
        baseline: 'no endpoint',
        baselineValue: round(without.p99),
        ratio: hanging.p99 / without.p99,
        note: `p50 ${Math.round(hanging.p50)} ms; ${hanging.samples} probes, ${hanging.unseen} unseen; load generator's event loop held up ${Math.round(hanging.generatorLagMaxMs)} ms at most; p99 ${signed(hangCost)} ms (budget +${FRESHNESS_BUDGET_MS} ms): ${hangCost <= FRESHNESS_BUDGET_MS ? 'within' : 'over'}; CPU per event but the api's ${round(hanging.stackMsPerEvent)} ms (${(hanging.stackMsPerEvent / without.stackMsPerEvent).toFixed(2)}× none), with it ${(hanging.cpuMsPerEvent / without.cpuMsPerEvent).toFixed(2)}×`,
      },
      {
        metric: `freshness p99, 3 endpoints incl. one hanging (${rate} ev/s)`,
        value: round(withHooks.p99),
        unit: 'ms',
        baseline: 'no endpoint',
        baselineValue: round(without.p99),
        ratio: withHooks.p99 / without.p99,
        note: `p50 ${Math.round(withHooks.p50)} ms; ${withHooks.samples} probes, ${withHooks.unseen} unseen; load generator's event loop held up ${Math.round(withHooks.generatorLagMaxMs)} ms at most; p99 ${signed(freshCost)} ms`,
      },
      {
        metric: 'status changes delivered to the 200 endpoint',
        value: delivered.covered,
        unit: 'influencers',
        baseline: 'influencers whose status moved',
        baselineValue: delivered.moved,
        ratio: delivered.share,
        note: `${hooks.changes.size} distinct status_changed events at the 200 endpoint, change → delivery p50 ${Math.round(lag.p50)} ms, p99 ${Math.round(lag.p99)} ms; attempts seen during the phase and its drain: ${JSON.stringify(seenInPhase)}`,
      },
      {
        metric: 'CPU per event, every process but the api (the probes), 3 endpoints',
        value: round(withHooks.stackMsPerEvent),
        unit: 'ms/event',
        baseline: 'no endpoint',
        baselineValue: round(without.stackMsPerEvent),
        ratio: withHooks.stackMsPerEvent / without.stackMsPerEvent,
        note: `overhead ${Math.round(overhead * 100)} % (budget ${OVERHEAD_BUDGET * 100} %): ${overhead <= OVERHEAD_BUDGET ? 'within' : 'over'}; ${(withHooks.stackMsPerEvent / first.stackMsPerEvent).toFixed(2)}× the first no-endpoint phase, ${(withHooks.stackMsPerEvent / again.stackMsPerEvent).toFixed(2)}× the last; with the api too ${(withHooks.cpuMsPerEvent / without.cpuMsPerEvent).toFixed(2)}× (${round(withHooks.cpuMsPerEvent)} vs ${round(without.cpuMsPerEvent)} ms; the probes' detail reads ${withHooks.probeReads} vs ${Math.round(without.probeReads / 2)} a phase, whose database work stays counted); counted from the phase's start until its webhooks were out (${round(withHooks.windowMs / 1000)} s vs ${round(first.windowMs / 1000)} and ${round(again.windowMs / 1000)} s); CPU seconds per process, 3 endpoints vs the mean of the no-endpoint phases: ${Object.keys(
          withHooks.cpu,
        )
          .map(
            (k) =>
              `${k} ${round((withHooks.cpu[k] * withHooks.windowMs) / 1000)} vs ${round((without.cpu[k] * without.windowMs) / 1000)}`,
          )
          .join(', ')}; webhook queues (s:events/ready/active/soon) ${withHooks.timeline}`,
      },
      {
        metric: 'PostgreSQL WAL per event (whole cluster), 3 endpoints',
        value: round(withHooks.walKbPerEvent),
        unit: 'KiB/event',
        baseline: 'no endpoint',
        baselineValue: round(without.walKbPerEvent),
        ratio: withHooks.walKbPerEvent / without.walKbPerEvent,
        note: `same windows as the CPU; commits per event ${round(withHooks.commitsPerEvent)} vs ${round(without.commitsPerEvent)}; active backends' waits, 3 endpoints: ${withHooks.waits}; none: ${without.waits}`,
      },
    ];
    return { name: 'webhooks', rows };
  } finally {
    await own.stop();
    await hooks.close();
  }
}
