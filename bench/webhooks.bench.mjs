/**
 * What brand webhooks cost the status pipeline (issue 23): the same open-loop mixed load (80 % purchase clicks,
 * 10 % review clicks, 10 % submissions) at e2e-load's sustained rate, first with no endpoint, then with three
 * endpoints subscribed to every event: one answering 200 at once, one that accepts the connection and never
 * answers (each attempt waits out WEBHOOK_DELIVERY_TIMEOUT_MS), one answering 500 (every event retried).
 * Measured side by side in one run: freshness (probe click → visible in GET influencer detail) p50/p99, and the
 * CPU of every process per event. Targets: a hanging receiver costs no status update more than 100 ms of
 * freshness; three endpoints cost at most 10 % (CPU per event).
 */
import { createServer } from 'node:http';
import { send } from './faults/lib/http.mjs';
import { percentile } from './faults/lib/load.mjs';
import { cpuMeter, pidsNamed } from './faults/lib/procstat.mjs';
import { driveLoad, Ledger, seedWorkload } from './faults/lib/workload.mjs';
import { drained } from './lib/e2e-queue.mjs';
import { probeFreshness } from './lib/freshness.mjs';
import { ownStack } from './lib/own-stack.mjs';

const FRESHNESS_BUDGET_MS = 100;
const OVERHEAD_BUDGET = 0.1;

/** Three receivers on loopback: `ok` answers 200, `hang` never answers, `fail` answers 500. */
async function receivers() {
  const seen = { ok: 0, hang: 0, fail: 0 };
  const hanging = new Set();
  const server = createServer((req, res) => {
    const kind = req.url?.slice(1) ?? '';
    if (kind in seen) seen[kind]++;
    req.resume();
    if (kind === 'hang') {
      hanging.add(res);
      return;
    }
    res.writeHead(kind === 'ok' ? 200 : 500).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    seen,
    urls: ['ok', 'hang', 'fail'].map((k) => `${base}/${k}`),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

export default async function run(ctx) {
  const quick = ctx.quick;
  const log = ctx.log ?? (() => undefined);
  const rate = Number(process.env.WEBHOOKS_BENCH_RATE ?? (quick ? 100 : 200));
  const durationMs = quick ? 15_000 : 45_000;
  const hooks = await receivers();
  // Local receivers on loopback over http: allowed for this bench only (the flag says so at start).
  const own = await ownStack('hooks', { WEBHOOK_ALLOW_PRIVATE: '1' }).catch(async (err) => {
    await hooks.close();
    throw err;
  });
  const { stack, redis, ferret } = own;
  try {
    const ledger = new Ledger();
    const w = await seedWorkload(stack, quick ? 60 : 200, ledger);
    const probes = w.people.slice(0, 20);
    const loadPeople = { ...w, people: w.people.slice(20) };
    const groups = {
      ingest: () => [stack.apps.ingest?.proc.pid].filter(Boolean),
      worker: () => [stack.apps.worker?.proc.pid].filter(Boolean),
      api: () => [stack.apps.api?.proc.pid].filter(Boolean),
      redis: () => [redis.pid].filter(Boolean),
      'ferretdb + postgresql': () => [ferret.pid, ...pidsNamed('postgres')],
    };
    const phase = async (name) => {
      log(`${name}: ${rate} ev/s for ${durationMs / 1000} s`);
      const meter = cpuMeter(groups);
      meter.start();
      const [load, fresh] = await Promise.all([
        driveLoad(loadPeople, ledger, { rate, durationMs }),
        probeFreshness(w, probes, durationMs),
      ]);
      const cpu = meter.stop();
      await drained(stack, 180_000).catch((err) => log(`  ${err.message}`));
      const cores = Object.values(cpu).reduce((a, b) => a + b, 0);
      const out = {
        p50: percentile(fresh.samples, 50),
        p99: percentile(fresh.samples, 99),
        unseen: fresh.unseen,
        offered: load.offered,
        cpuMsPerEvent: (cores * durationMs) / load.offered,
        cpu,
      };
      log(`  ${JSON.stringify({ ...out, cpu: undefined })}`);
      return out;
    };

    // Warm-up (JIT, connection pools, the first drain) so that the first measured phase is not charged for it.
    await driveLoad(loadPeople, ledger, { rate, durationMs: durationMs / 3 });
    await drained(stack, 180_000).catch((err) => log(`  ${err.message}`));
    const without = await phase('no endpoints');
    for (const url of hooks.urls) {
      const r = await send(`${stack.apiUrl}/v1/webhook-endpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${w.apiKey}` },
        body: { url, description: `bench ${url.split('/').pop()}` },
      });
      if (r.status !== 201) throw new Error(`endpoint ${url}: ${r.status} ${r.text}`);
    }
    const withHooks = await phase('3 endpoints (200, hanging, 500)');
    const freshCost = withHooks.p99 - without.p99;
    const overhead = withHooks.cpuMsPerEvent / without.cpuMsPerEvent - 1;
    const rows = [
      {
        metric: `freshness p99, no webhook endpoint (${rate} ev/s)`,
        value: round(without.p99),
        unit: 'ms',
        note: `p50 ${Math.round(without.p50)} ms; ${without.unseen} probes unseen`,
      },
      {
        metric: `freshness p99, 3 endpoints incl. one hanging (${rate} ev/s)`,
        value: round(withHooks.p99),
        unit: 'ms',
        baseline: 'no endpoint',
        baselineValue: round(without.p99),
        ratio: withHooks.p99 / without.p99,
        note: `p50 ${Math.round(withHooks.p50)} ms; p99 ${freshCost >= 0 ? '+' : ''}${Math.round(freshCost)} ms (budget +${FRESHNESS_BUDGET_MS} ms): ${freshCost <= FRESHNESS_BUDGET_MS ? 'within' : 'over'}; deliveries seen: ${JSON.stringify(hooks.seen)}`,
      },
      {
        metric: 'CPU per event, all processes, 3 endpoints',
        value: round(withHooks.cpuMsPerEvent),
        unit: 'ms/event',
        baseline: 'no endpoint',
        baselineValue: round(without.cpuMsPerEvent),
        ratio: withHooks.cpuMsPerEvent / without.cpuMsPerEvent,
        note: `overhead ${Math.round(overhead * 100)} % (budget ${OVERHEAD_BUDGET * 100} %): ${overhead <= OVERHEAD_BUDGET ? 'within' : 'over'}; worker ${round(withHooks.cpu.worker * 100)} % vs ${round(without.cpu.worker * 100)} % of a core`,
      },
    ];
    return { name: 'webhooks', rows };
  } finally {
    await own.stop();
    await hooks.close();
  }
}

const round = (v) => (Number.isFinite(v) ? Math.round(v * 10) / 10 : v);
