/**
 * Platform scale, on a FerretDB process of its own (over the project's PostgreSQL with DocumentDB):
 *
 * - a database holding 1,000 campaigns and 1,000,000 influencer documents (one campaign of 100,000, one of
 *   10,000, one of 2,000 signed-up influencers for the worker, the rest shared evenly), seeded with
 *   insertMany in big batches and its stage counters put right by the db package's recount (both timed);
 * - through a real api process: GET summary p50/p99 and list page 1 and page 20 (reached by following
 *   nextCursor, 50 items) p50/p99 on the 100k and 10k campaigns, next to a plain countDocuments;
 * - a real worker process draining the same backlog of one-click jobs (2,000 influencers, uniform, as in
 *   worker-throughput) against the 2,000-influencer campaign in that database and in a database holding only
 *   that campaign, alternately, side by side: events/s at 1M documents against events/s at 2,000.
 *
 * --quick: 100,000 documents in 100 campaigns (20,000 and 5,000), fewer jobs and iterations.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { connectMongo, createRepositories, ensureIndexes } from '@seedline/db';
import { influencerIdFor } from '@seedline/domain';
import { createStack, startFerretDb, freePort, startApp, uniqueName } from '@seedline/testkit';
import { campaignReads, countBaseline } from './lib/api-reads.mjs';
import { handleOf, platformSizes, recountSeeded, seedCampaigns } from './lib/seed.mjs';
import { clickJobs, clicksCounted, CONCURRENCY, drainRate, enqueue, WORKER_ENV } from './lib/worker-jobs.mjs';

const SUMMARY_TARGET_MS = 20;
const WORKER_RATIO_TARGET = 0.8;
const WORKER_INFLUENCERS = 2000;

function plan(quick) {
  return quick
    ? {
        total: 100_000,
        campaigns: 100,
        big: 20_000,
        medium: 5_000,
        jobs: 5_000,
        pairs: 1,
        iterations: { summary: 100, list: 20 },
        counts: 3,
      }
    : {
        total: 1_000_000,
        campaigns: 1_000,
        big: 100_000,
        medium: 10_000,
        jobs: 20_000,
        pairs: 2,
        iterations: { summary: 500, list: 50 },
        counts: 5,
      };
}

const k = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
const ms = (v) => Math.round(v * 10) / 10;

/** A database of the bench's FerretDB with the given campaigns seeded and counted. */
async function seededDatabase(url, specs, log) {
  const conn = await connectMongo(url, { serverSelectionTimeoutMS: 20_000 });
  const repos = createRepositories(conn);
  try {
    await conn.dropDatabase();
    // Bulk load, then index: about three times faster on DocumentDB than inserting under the indexes.
    const seed = await seedCampaigns(conn, repos, specs, { log });
    log(
      `seeded ${seed.inserted.toLocaleString('en-US')} influencers in ${seed.campaigns.length} campaigns: ${seed.seconds.toFixed(1)} s`,
    );
    const t0 = performance.now();
    await ensureIndexes(repos);
    seed.indexSeconds = (performance.now() - t0) / 1000;
    log(`indexes built: ${seed.indexSeconds.toFixed(1)} s`);
    const recountSeconds = await recountSeeded(
      repos,
      seed.campaigns.map((c) => c.id),
    );
    log(`recount of ${seed.campaigns.length} campaigns: ${recountSeconds.toFixed(1)} s`);
    return { conn, repos, seed, recountSeconds };
  } catch (err) {
    await dropAndClose(conn);
    throw err;
  }
}

async function dropAndClose(conn) {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
}

/** A worker-bench stack over `url` (no apps: a worker is started per drain). */
async function workerStack(label, url) {
  const stack = await createStack(label, { ...WORKER_ENV, MONGO_URL: url }, []);
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: null });
  const clicks = new Queue('clicks', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
  const recount = new Queue('recount', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
  return {
    stack,
    clicks,
    /** recount jobs finished so far: one more after a drain means one ran during it */
    recountRuns: async () =>
      Object.values(await recount.getJobCounts('completed', 'failed')).reduce((a, b) => a + b, 0),
    async close() {
      await clicks.close();
      await recount.close();
      redis.disconnect();
      await stack.stop();
    },
  };
}

/** Enqueues `count` uniform one-click jobs for the campaign, drains them with one worker; checks every click counted once. */
async function drainOnce(ws, conn, campaignId, ids, count, tag, seed) {
  const before = await clicksCounted(conn, campaignId);
  const recounts = await ws.recountRuns();
  await enqueue(ws.clicks, clickJobs({ campaignId, ids, count, zipf: 0, seed, tag, base: Date.now() }));
  const worker = await ws.stack.addWorker(WORKER_ENV);
  const { rate, seconds } = await drainRate(ws.clicks, count, 900_000);
  await worker.stop();
  const counted = (await clicksCounted(conn, campaignId)) - before;
  if (counted !== count)
    throw new Error(
      `${tag}: ${counted} clicks counted, ${count} sent (a database crash during the drain? see PostgreSQL's log)`,
    );
  return { rate, seconds, recounts: (await ws.recountRuns()) - recounts };
}

export default async function run(ctx) {
  const log = ctx.log ?? (() => undefined);
  const p = plan(ctx.quick);
  const rows = [];
  const ferret = await startFerretDb('bench-scale');
  const bigUrl = `${ferret.base}/${uniqueName('scale_big')}`;
  const smallUrl = `${ferret.base}/${uniqueName('scale_small')}`;
  const cleanup = [];
  try {
    // --- seeding ------------------------------------------------------------------------------------------
    const specs = platformSizes(p.total, p.campaigns, [
      { n: p.big, role: 'big' },
      { n: p.medium, role: 'medium' },
      { n: WORKER_INFLUENCERS, role: 'worker', signedUpOnly: true },
    ]);
    log(`seeding ${p.total.toLocaleString('en-US')} influencers in ${p.campaigns} campaigns`);
    const big = await seededDatabase(bigUrl, specs, log);
    cleanup.push(() => dropAndClose(big.conn));
    const small = await seededDatabase(smallUrl, [{ n: WORKER_INFLUENCERS, role: 'worker', signedUpOnly: true }], log);
    cleanup.push(() => dropAndClose(small.conn));
    const byRole = (db, role) => db.seed.campaigns.find((c) => c.role === role);
    rows.push({
      metric: `seed ${p.total.toLocaleString('en-US')} influencers in ${p.campaigns} campaigns (insertMany, then indexes)`,
      value: ms(big.seed.seconds + big.seed.indexSeconds),
      unit: 's',
      note: `inserts ${ms(big.seed.seconds)} s (${Math.round(big.seed.inserted / big.seed.seconds).toLocaleString('en-US')} documents/s, batches of 5,000, 3 at a time), indexes ${ms(big.seed.indexSeconds)} s; one ${k(p.big)} and one ${k(p.medium)} campaign, the rest ~${Math.round((p.total - p.big - p.medium) / (p.campaigns - 2))} each`,
    });
    rows.push({
      metric: `recount of ${p.campaigns} campaigns (${k(p.total)} documents) after seeding`,
      value: ms(big.recountSeconds),
      unit: 's',
      note: 'db package recount: one grouped pass per campaign, counters corrected',
    });

    // --- reads through a real api process -----------------------------------------------------------------
    const port = await freePort();
    const api = await startApp(
      'api',
      {
        MONGO_URL: bigUrl,
        API_PORT: String(port),
        ADMIN_TOKEN: 'bench-admin-token-0123456789',
        LOG_LEVEL: 'warn',
        BRAND_RATE_LIMIT: '1000000',
        QUEUE_PREFIX: '{bench-scale}',
      },
      { port, label: 'bench-scale-api' },
    );
    cleanup.push(() => api.stop());
    const base = `http://127.0.0.1:${port}`;
    for (const role of ['big', 'medium']) {
      const c = byRole(big, role);
      const label = k(c.n);
      log(`${label} campaign: summary ×${p.iterations.summary}, pages 1 and 20 ×${p.iterations.list}`);
      const r = await campaignReads({
        base,
        apiKey: big.seed.apiKey,
        campaignId: c.id,
        n: c.n,
        iterations: p.iterations,
      });
      const count = await countBaseline(big.conn, c.id, p.counts);
      log(
        `  summary p50 ${ms(r.summary.p50)} / p99 ${ms(r.summary.p99)} ms; page 1 p50 ${ms(r.page1.p50)} ms; page 20 p50 ${ms(r.deep.p50)} ms; countDocuments p50 ${ms(count.p50)} ms`,
      );
      const vsCount = { baseline: 'countDocuments(campaign) p50', baselineValue: ms(count.p50) };
      rows.push(
        {
          metric: `GET summary ${label} p99`,
          value: ms(r.summary.p99),
          unit: 'ms',
          baseline: 'target',
          baselineValue: SUMMARY_TARGET_MS,
          ratio: r.summary.p99 / SUMMARY_TARGET_MS,
          note: `${r.summary.n} sequential requests in a ${k(p.total)}-document database; ${r.summary.p99 <= SUMMARY_TARGET_MS ? 'within' : 'over'} the ${SUMMARY_TARGET_MS} ms target${role === 'big' ? '' : ' (the target is set for 100k)'}`,
        },
        {
          metric: `GET summary ${label} p50`,
          value: ms(r.summary.p50),
          unit: 'ms',
          ...vsCount,
          ratio: r.summary.p50 / count.p50,
        },
        {
          metric: `GET influencers page 1 ${label}, first read (no bound remembered yet)`,
          value: ms(r.page1First),
          unit: 'ms',
          ...vsCount,
          ratio: r.page1First / count.p50,
          note: "one request, the api process's first of this page; later reads stop at the bound it found",
        },
        {
          metric: `GET influencers page 1 ${label} p50`,
          value: ms(r.page1.p50),
          unit: 'ms',
          ...vsCount,
          ratio: r.page1.p50 / count.p50,
          note: `p99 ${ms(r.page1.p99)} ms over ${r.page1.n} requests, 50 items`,
        },
        {
          metric: `GET influencers page 20 ${label} p50`,
          value: ms(r.deep.p50),
          unit: 'ms',
          ...vsCount,
          ratio: r.deep.p50 / count.p50,
          note: `p99 ${ms(r.deep.p99)} ms over ${r.deep.n} requests; cursor reached by following nextCursor from page 1`,
        },
        {
          metric: `countDocuments ${label} p50 (baseline)`,
          value: ms(count.p50),
          unit: 'ms',
          note: `{campaignId, listed: true} on the same database, ${count.n} runs`,
        },
      );
    }
    await api.stop();
    cleanup.pop();

    // --- worker events/s at 1M documents and at 2,000 -----------------------------------------------------
    const targets = [
      { name: 'small', db: small, campaign: byRole(small, 'worker') },
      { name: 'big', db: big, campaign: byRole(big, 'worker') },
    ];
    for (const t of targets) {
      t.ids = Array.from({ length: WORKER_INFLUENCERS }, (_, i) => influencerIdFor(t.campaign.id, handleOf(i)));
      t.ws = await workerStack(`scale-${t.name}`, t.name === 'big' ? bigUrl : smallUrl);
      cleanup.push(() => t.ws.close());
      t.rates = [];
    }
    for (let pair = 0; pair < p.pairs; pair++) {
      // Alternate the order, so neither side always runs on a warmer (or busier) machine.
      for (const t of pair % 2 === 0 ? targets : [...targets].reverse()) {
        const r = await drainOnce(t.ws, t.db.conn, t.campaign.id, t.ids, p.jobs, `${t.name}-${pair}`, 7 + pair);
        t.rates.push(r.rate);
        log(
          `${t.name} #${pair + 1}: ${Math.round(r.rate)} events/s over ${r.seconds.toFixed(1)} s${r.recounts ? ` (${r.recounts} recount job(s) ran meanwhile)` : ''}`,
        );
      }
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [smallT, bigT] = targets;
    const ratio = mean(bigT.rates) / mean(smallT.rates);
    const runs = (t) => t.rates.map((x) => Math.round(x)).join(' / ');
    rows.push(
      {
        metric: `worker click events/s at ${k(p.total)} documents`,
        value: Math.round(mean(bigT.rates)),
        unit: 'events/s',
        baseline: `same at ${WORKER_INFLUENCERS.toLocaleString('en-US')} documents`,
        baselineValue: Math.round(mean(smallT.rates)),
        ratio,
        note:
          `${p.jobs} one-click jobs over ${WORKER_INFLUENCERS} signed-up influencers (uniform, as worker-throughput), concurrency ${CONCURRENCY}, batched; ` +
          `${p.pairs} alternating pair(s): ${runs(bigT)} vs ${runs(smallT)}; target ≥ ${WORKER_RATIO_TARGET}×: ${ratio >= WORKER_RATIO_TARGET ? 'met' : 'not met'}`,
      },
      {
        metric: `worker click events/s at ${WORKER_INFLUENCERS.toLocaleString('en-US')} documents`,
        value: Math.round(mean(smallT.rates)),
        unit: 'events/s',
      },
    );
    return {
      name: 'platform-scale',
      machine: `FerretDB 2.7 + DocumentDB (own FerretDB process, project PostgreSQL); api and worker as real processes`,
      rows,
    };
  } finally {
    for (const f of cleanup.reverse()) await f().catch(() => undefined);
    await ferret.stop();
  }
}
