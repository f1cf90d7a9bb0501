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
import { createStack, startFerretDb, pollUntil, seedCampaign, uniqueName } from '@seedline/testkit';
import {
  clicksCounted,
  clickJobs,
  CONCURRENCY,
  drainRate,
  enqueue,
  pendingCount,
  signupJobs,
  WORKER_ENV,
} from './lib/worker-jobs.mjs';

function machine() {
  const cpus = os.cpus();
  const load = os.loadavg()[0]?.toFixed(1);
  return `${cpus.length}× ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load ${load} at start`;
}

export default async function run(ctx) {
  const sizes = ctx.quick ? { on: 5000, off: 1500, noop: 10000 } : { on: 20000, off: 4000, noop: 40000 };
  const shapes = [
    {
      name: 'skewed',
      label: '200 influencers, Zipf(1.1)-skewed (a few posts draw most clicks)',
      influencers: 200,
      zipf: 1.1,
    },
    { name: 'uniform', label: '2,000 influencers, uniform', influencers: 2000, zipf: 0 },
  ];
  const workerEnv = WORKER_ENV;
  // A FerretDB process of its own (over the project's PostgreSQL): its CPU is this run's alone.
  const ferret = await startFerretDb('bench-worker');
  const stack = await createStack(
    'benchworker',
    { ...workerEnv, MONGO_URL: `${ferret.base}/${uniqueName('benchworker')}` },
    ['api'],
  );
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
      await enqueue(signups, signupJobs(c.campaignId, ids, 'bench.'));
      const warm = await stack.addWorker(workerEnv);
      await pollUntil(async () => (await pendingCount(signups)) === 0, { timeoutMs: 300_000, what: 'sign-ups' });
      await warm.stop();

      for (const [i, mode] of ['off', 'on'].entries()) {
        const count = sizes[mode];
        const base = Date.now() + i * 3_600_000;
        await enqueue(
          queue,
          clickJobs({
            campaignId: c.campaignId,
            ids,
            count,
            zipf: shape.zipf,
            seed: 7 + i,
            tag: `${shape.name}-${mode}`,
            base,
          }),
        );
        const worker = await stack.addWorker({ ...workerEnv, CLICK_BATCHING: mode });
        const { rate, seconds } = await drainRate(queue, count, 900_000);
        await worker.stop();
        // Every click counted once, or the figure means nothing.
        const counted = await clicksCounted(mongo, c.campaignId);
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
            `${sizes.on} vs ${sizes.off} one-click jobs drained from a backlog, concurrency ${CONCURRENCY}, same database; FerretDB 2.7 ` +
            'over DocumentDB (own process): batching saves the per-event insert always, and the per-influencer update only when an ' +
            'influencer has several clicks in a batch',
        },
        {
          metric: `clicks through the worker, one write per job (${shape.label})`,
          value: Math.round(off),
          unit: 'events/s',
        },
      );
    }

    // BullMQ alone: the same queue, job options and concurrency, a processor that does nothing.
    await enqueue(
      queue,
      clickJobs({
        campaignId: '0'.repeat(24),
        ids: ['0'.repeat(24)],
        count: sizes.noop,
        zipf: 0,
        seed: 99,
        tag: 'noop',
        base: Date.now(),
      }),
    );
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
    await ferret.stop();
  }
}
