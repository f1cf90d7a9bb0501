// Tracked-link latency while a worker drains a backlog on the same machine: the redirect should not pay for
// the backlog. One ingest, one worker and Redis of the run's own (FerretDB too); a backlog of one-click jobs
// is enqueued while no worker runs, then the same fixed-rate redirect load runs (1) with the backlog idle,
// (2) while the worker drains it at the same CPU priority as the ingest, and (3) at nice 10, as `npm start`
// runs it (scripts/start.mjs), alternating (2) and (3) while the backlog lasts.
import os from 'node:os';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { influencerIdFor } from '@seedline/domain';
import { createStack, startFerretDb, pollUntil, seedCampaign, uniqueName } from '@seedline/testkit';
import { campaignTraffic, machine } from './ingest-redirect.bench.mjs';
import { startRedis } from './faults/lib/services.mjs';
import { clickJobs, enqueue, pendingCount, signupJobs, WORKER_ENV } from './lib/worker-jobs.mjs';

const RATE = 300;
const CONNECTIONS = 16;
const INFLUENCERS = 500;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Renices a process; false when this user may not (raising a priority back needs privileges). */
function renice(pid, nice) {
  try {
    os.setPriority(pid, nice);
    return true;
  } catch {
    return false;
  }
}

export default async function run(ctx) {
  const seconds = ctx.quick ? 3 : 5;
  const backlog = ctx.quick ? 15_000 : 60_000;
  const redis = await startRedis('bench-drain');
  const ferret = await startFerretDb('bench-drain');
  const env = { ...WORKER_ENV, REDIS_URL: redis.url, MONGO_URL: `${ferret.base}/${uniqueName('benchdrain')}` };
  const stack = await createStack('benchdrain', env, ['api', 'ingest']);
  const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
  const clicks = new Queue('clicks', { connection: conn, prefix: stack.prefix, skipMetasUpdate: true });
  const signups = new Queue('signups', { connection: conn, prefix: stack.prefix, skipMetasUpdate: true });
  const workers = [];
  try {
    const c = await seedCampaign(stack, {
      productUrl: 'https://example.com/product',
      reviewUrl: 'https://example.com/review',
    });
    await stack.apps.api?.stop();
    // The links' influencers sign up first, as in a campaign (campaignTraffic clicks bench.0 … bench.499).
    const ids = Array.from({ length: INFLUENCERS }, (_, i) => influencerIdFor(c.campaignId, `bench.${i}`));
    await enqueue(signups, signupJobs(c.campaignId, ids, 'bench.'));
    workers.push(await stack.addWorker(env));
    await pollUntil(async () => (await pendingCount(signups)) === 0, { timeoutMs: 300_000, what: 'sign-ups' });
    await workers.pop()?.stop();

    const traffic = campaignTraffic(c.campaignId, { links: INFLUENCERS });
    const load = () =>
      autocannon({
        url: stack.ingestUrl,
        connections: CONNECTIONS,
        duration: seconds,
        requests: traffic,
        overallRate: RATE,
      });
    await autocannon({ url: stack.ingestUrl, connections: CONNECTIONS, duration: 2, requests: traffic });
    ctx.log(`enqueueing a backlog of ${backlog} one-click jobs`);
    await enqueue(
      clicks,
      clickJobs({ campaignId: c.campaignId, ids, count: backlog, zipf: 0, seed: 11, tag: 'drain', base: Date.now() }),
    );
    const idle = await load();
    ctx.log(`backlog idle: p50 ${idle.latency.p50} ms, p99 ${idle.latency.p99} ms`);

    const worker = await stack.addWorker(env);
    workers.push(worker);
    const pid = worker.proc.pid;
    await pollUntil(async () => (await pendingCount(clicks)) < backlog * 0.98, {
      timeoutMs: 60_000,
      what: 'the drain to start',
    });
    const windows = { 0: [], 10: [] };
    for (const nice of [0, 10, 0, 10, 0, 10]) {
      if (!renice(pid, nice)) break;
      const before = { left: await pendingCount(clicks), at: performance.now() };
      if (before.left === 0) break;
      const r = await load();
      const left = await pendingCount(clicks);
      const drained = ((before.left - left) / (performance.now() - before.at)) * 1000;
      // A window in which the backlog ran out measured partly no drain at all.
      if (left === 0) break;
      windows[nice].push({
        p50: r.latency.p50,
        p99: r.latency.p99,
        drained,
        errors: r.errors + r.timeouts + r.non2xx - r['3xx'],
      });
      ctx.log(
        `worker at nice ${nice}: redirect p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms; worker drained ${Math.round(drained)} events/s`,
      );
    }
    const summary = (ws) =>
      ws.length
        ? {
            p50: median(ws.map((w) => w.p50)),
            p99: median(ws.map((w) => w.p99)),
            p99s: ws.map((w) => w.p99),
            drained: median(ws.map((w) => w.drained)),
          }
        : null;
    const same = summary(windows[0]);
    const niced = summary(windows[10]);
    const note = `${RATE} req/s over ${CONNECTIONS} connections, ${seconds} s windows; backlog of ${backlog} one-click jobs over ${INFLUENCERS} signed-up influencers; ${os.cpus().length} cores`;
    const rows = [
      {
        metric: 'redirect p50 / p99, backlog waiting, no worker',
        value: `${idle.latency.p50} / ${idle.latency.p99}`,
        unit: 'ms',
        note,
      },
    ];
    for (const [label, s] of [
      ['worker draining at the same priority', same],
      ['worker draining at nice 10 (npm start)', niced],
    ]) {
      if (!s) continue;
      rows.push(
        {
          metric: `redirect p99, ${label}`,
          value: s.p99,
          unit: 'ms',
          baseline: 'backlog waiting, no worker',
          baselineValue: idle.latency.p99,
          note: `windows: ${s.p99s.join(', ')} ms; p50 ${s.p50} ms; ${note}`,
        },
        {
          metric: `worker drain rate, ${label}`,
          value: Math.round(s.drained),
          unit: 'events/s',
          note: 'while the redirect load ran',
        },
      );
    }
    if (!same || !niced)
      ctx.log('warning: the backlog ran out (or renicing failed) before both priorities were measured');
    return { name: 'ingest-during-drain', machine: machine(), rows };
  } finally {
    for (const w of workers) await w.stop();
    await clicks.close();
    await signups.close();
    conn.disconnect();
    await stack.stop();
    await ferret.stop();
    await redis.remove();
  }
}
