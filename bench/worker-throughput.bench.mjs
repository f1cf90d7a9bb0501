// Click events per second through the real worker process, on one database in one run:
//  - batched (CLICK_BATCHING=on: the jobs of a moment share one insert of their events and one update per
//    influencer) against one write per job (CLICK_BATCHING=off), for two traffic shapes;
//  - BullMQ's own ceiling: the same jobs, queue and settings with a processor that does nothing.
// Each run drains a backlog enqueued while no worker runs, so the figure is the worker's, not the producer's.
import os from 'node:os';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { connectMongo } from '@seedline/db';
import { influencerIdFor, JOB_CATALOGUE } from '@seedline/domain';
import { createStack, pollUntil, seedCampaign, seededRandom } from '@seedline/testkit';

const CONCURRENCY = 500; // the worker's default CLICK_CONCURRENCY, also given to the no-op worker
const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'paused'];

function machine() {
  const cpus = os.cpus();
  const load = os.loadavg()[0]?.toFixed(1);
  return `${cpus.length}× ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load ${load} at start`;
}

/** Picks influencer indexes: uniformly, or Zipf-skewed (a few posts take most of the clicks). */
function sampler(n, zipf, random) {
  if (!zipf) return () => Math.floor(random() * n);
  const cumulative = [];
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative.push((sum += 1 / (i + 1) ** zipf));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** One click per job, as the tracked-link route enqueues them at low load; times rise, give or take 2 s. */
function clickJobs({ campaignId, ids, count, zipf, seed, tag, base }) {
  const random = seededRandom(seed);
  const pick = sampler(ids.length, zipf, random);
  return Array.from({ length: count }, (_, i) => {
    const r = random();
    const event = {
      eventId: `${tag}-${i}`,
      link: r < 0.75 ? 'purchase' : 'review',
      campaignId,
      influencerId: ids[pick()],
      at: new Date(base + i * 5 + Math.floor(random() * 2000)).toISOString(),
      human: r < 0.6 || (r >= 0.75 && r < 0.9),
      source: 'link',
      userAgent: 'Mozilla/5.0',
      ipHash: `h${i}`,
    };
    return { name: 'clicks', data: { events: [event] }, opts: { ...JOB_CATALOGUE.clicks.options, jobId: `${tag}-${i}` } };
  });
}

async function enqueue(queue, jobs) {
  for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
}

/**
 * Jobs per second while a backlog of `total` drains: measured from the first sample at or below 95% left
 * (the consumer is warm) to the first sample with nothing left.
 */
async function drainRate(queue, total, timeoutMs) {
  let start = null;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const counts = await queue.getJobCounts(...PENDING);
    const left = Object.values(counts).reduce((a, b) => a + b, 0);
    const now = performance.now();
    if (!start && left <= total * 0.95) start = { at: now, left };
    if (left === 0 && start) return { rate: (start.left / (now - start.at)) * 1000, seconds: (now - start.at) / 1000 };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`backlog of ${total} did not drain within ${timeoutMs} ms`);
}

export default async function run(ctx) {
  const sizes = ctx.quick ? { on: 5000, off: 1500, noop: 10000 } : { on: 20000, off: 4000, noop: 40000 };
  const shapes = [
    { name: 'skewed', label: '200 influencers, Zipf(1.1)-skewed (a few posts draw most clicks)', influencers: 200, zipf: 1.1 },
    { name: 'uniform', label: '2,000 influencers, uniform', influencers: 2000, zipf: 0 },
  ];
  const workerEnv = { NODE_ENV: 'production', LOG_LEVEL: 'info', WORKER_LOCK_MS: '30000', CLICK_CONCURRENCY: String(CONCURRENCY) };
  const stack = await createStack('benchworker', workerEnv, ['api']);
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('clicks', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
  const signups = new Queue('signups', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
  const mongo = await connectMongo(stack.env.MONGO_URL);
  const rows = [];
  try {
    const results = {};
    for (const shape of shapes) {
      const c = await seedCampaign(stack);
      const ids = Array.from({ length: shape.influencers }, (_, i) => influencerIdFor(c.campaignId, `bench.${i}`));
      // The influencers sign up first, as in a campaign; not measured.
      await enqueue(
        signups,
        ids.map((influencerId, i) => ({
          name: 'signups',
          data: { eventId: `s-${influencerId}`, campaignId: c.campaignId, influencerId, instagramHandle: `bench.${i}`, at: new Date().toISOString() },
          opts: { ...JOB_CATALOGUE.signups.options, jobId: `s-${influencerId}` },
        })),
      );
      const warm = await stack.addWorker(workerEnv);
      await pollUntil(async () => Object.values(await signups.getJobCounts(...PENDING)).every((n) => n === 0), { timeoutMs: 300_000, what: 'sign-ups' });
      await warm.stop();

      for (const [i, mode] of ['off', 'on'].entries()) {
        const count = sizes[mode];
        const base = Date.now() + i * 3_600_000;
        await enqueue(queue, clickJobs({ campaignId: c.campaignId, ids, count, zipf: shape.zipf, seed: 7 + i, tag: `${shape.name}-${mode}`, base }));
        const worker = await stack.addWorker({ ...workerEnv, CLICK_BATCHING: mode });
        const { rate, seconds } = await drainRate(queue, count, 900_000);
        await worker.stop();
        // Every click counted once, or the figure means nothing.
        const docs = await mongo.collection('influencers').find({ campaignId: c.campaignId }).toArray();
        const counted = docs.reduce((n, d) => n + d.purchaseClicks + d.reviewClicks + d.botClicks, 0);
        const expected = (mode === 'on' ? sizes.off : 0) + count;
        if (counted !== expected) throw new Error(`${shape.name}/${mode}: ${counted} clicks counted, ${expected} sent`);
        results[`${shape.name}-${mode}`] = rate;
        ctx.log(`${shape.name} ${mode}: ${Math.round(rate)} events/s over ${seconds.toFixed(1)} s`);
      }
      const on = results[`${shape.name}-on`];
      const off = results[`${shape.name}-off`];
      rows.push(
        {
          metric: `clicks through the worker, batched (${shape.label})`,
          value: Math.round(on),
          unit: 'events/s',
          baseline: 'one write per job (CLICK_BATCHING=off)',
          baselineValue: Math.round(off),
          ratio: on / off,
          note:
            `${sizes.on} vs ${sizes.off} one-click jobs drained from a backlog, concurrency ${CONCURRENCY}; real FerretDB 1.24, which ` +
            'updates every document in a transaction of its own after a scan of the collection, so batching saves the per-event ' +
            'insert and lock round trips always, and the per-influencer update only when an influencer has several clicks in a batch',
        },
        { metric: `clicks through the worker, one write per job (${shape.label})`, value: Math.round(off), unit: 'events/s' },
      );
    }

    // BullMQ alone: the same queue, job options and concurrency, a processor that does nothing.
    await enqueue(queue, clickJobs({ campaignId: '0'.repeat(24), ids: ['0'.repeat(24)], count: sizes.noop, zipf: 0, seed: 99, tag: 'noop', base: Date.now() }));
    const noopConnection = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: null });
    const noop = new Worker('clicks', async () => undefined, {
      connection: noopConnection,
      prefix: stack.prefix,
      concurrency: CONCURRENCY,
      lockDuration: 30_000,
      removeOnComplete: JOB_CATALOGUE.clicks.options.removeOnComplete,
      removeOnFail: JOB_CATALOGUE.clicks.options.removeOnFail,
    });
    const { rate: ceiling } = await drainRate(queue, sizes.noop, 300_000);
    await noop.close();
    noopConnection.disconnect();
    ctx.log(`no-op: ${Math.round(ceiling)} events/s`);
    const best = results['skewed-on'];
    rows.push({
      metric: 'BullMQ alone: no-op processor, same queue and settings',
      value: Math.round(ceiling),
      unit: 'events/s',
      note: `${sizes.noop} one-click jobs, concurrency ${CONCURRENCY}, in the benchmark process`,
    });
    rows.push({
      metric: 'worker batched (skewed) as a share of BullMQ alone',
      value: Math.round((best / ceiling) * 1000) / 10,
      unit: '%',
      baseline: 'no-op processor',
      baselineValue: Math.round(ceiling),
      ratio: best / ceiling,
    });
    return { name: 'worker-throughput', machine: machine(), rows };
  } finally {
    await queue.close();
    await signups.close();
    redis.disconnect();
    await mongo.close();
    await stack.stop();
  }
}
