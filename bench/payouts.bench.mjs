// Reimbursements per second, approved by the brand and then paid by the real worker through the PayPal
// stand-in (over HTTP, on loopback), next to BullMQ's own ceiling for the same queue: a no-op processor over
// the same number of `payouts` jobs with the same options and concurrency.
//  - approvals/s: the brand's approval (compare-and-set, budget, ledger entry, timeline) of reimbursements
//    waiting for review, 16 at a time, with no worker running;
//  - payouts/s: from starting the worker until every approved reimbursement is paid (record the intent, send
//    the batch, record it, look the item up, settle), every payout checked against the stand-in's ledger.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { JOB_CATALOGUE } from '@seedline/domain';
import { createStack, PayPalStandIn, pollUntil, startFerretDb, uniqueName } from '@seedline/testkit';
import { audit, dueInfluencers, openRepos, payoutEnv, reimbursingCampaign, states } from './lib/payouts.mjs';

const CONCURRENCY = 10; // the worker's `payouts` concurrency

export default async function run(ctx) {
  const count = ctx.quick ? 100 : 400;
  const ferret = await startFerretDb('bench-payouts');
  const standIn = new PayPalStandIn();
  await standIn.listen(0);
  standIn.setFaults({ settleMs: 0 });
  const stack = await createStack('benchpayouts', {
    MONGO_URL: `${ferret.base}/${uniqueName('benchpayouts')}`,
    // Every sign-up and submission comes from loopback: past ingest's per-address limit (60 a minute by
    // default) the submissions were refused with 429 and the benchmark stopped before measuring anything.
    PUBLIC_POST_LIMIT: '1000000',
    LINK_RECORD_LIMIT: '1000000',
    ...payoutEnv(standIn),
  });
  const { conn, repos } = await openRepos(stack.env.MONGO_URL);
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: null });
  try {
    const c = await reimbursingCampaign(stack, 'review');
    const payees = await dueInfluencers(stack, c, count, { tag: 'bench', concurrency: 16 });
    const ids = payees.map((p) => p.influencerId);
    await pollUntil(async () => [...(await states(repos, ids)).values()].every((d) => d?.state === 'pending_review'), {
      timeoutMs: 600_000,
      intervalMs: 500,
      what: 'every reimbursement waiting for review',
    });
    await stack.apps.worker.stop();
    ctx.log(`${count} reimbursements waiting for review; approving`);

    const loadAtStart = os.loadavg()[0];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ids.length) {
          const out = await repos.reimbursementActions.approve(c.campaignId, ids[next++], `brand:${c.brandId}`);
          if (!out.ok) throw new Error(`approval refused: ${JSON.stringify(out)}`);
        }
      }),
    );
    const approvalSeconds = (performance.now() - t0) / 1000;
    ctx.log(`approved ${count} in ${approvalSeconds.toFixed(2)} s; starting the worker`);

    const t1 = performance.now();
    await stack.start('worker');
    const docs = await pollUntil(
      async () => {
        const now = await states(repos, ids);
        return [...now.values()].every((d) => d?.state === 'paid') ? now : undefined;
      },
      { timeoutMs: 900_000, intervalMs: 100, what: 'every reimbursement paid' },
    );
    const payoutSeconds = (performance.now() - t1) / 1000;
    const money = audit(standIn, docs);
    if (money.twice || money.mismatched || money.driftCents !== '0') throw new Error(`audit: ${JSON.stringify(money)}`);
    ctx.log(`paid ${count} in ${payoutSeconds.toFixed(2)} s (worker start included); audit clean`);
    await stack.apps.worker.stop();

    // BullMQ alone: as many `payouts` jobs, same options and concurrency, a processor that does nothing.
    const queue = new Queue('payouts-noop', { connection: redis, prefix: stack.prefix });
    for (let i = 0; i < count; i += 500) {
      await queue.addBulk(
        ids.slice(i, i + 500).map((id) => ({
          name: 'payouts',
          data: { reimbursementId: id },
          opts: JOB_CATALOGUE.payouts.options,
        })),
      );
    }
    const noopConnection = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: null });
    let done = 0;
    const t2 = performance.now();
    const noop = new Worker('payouts-noop', async () => undefined, {
      connection: noopConnection,
      prefix: stack.prefix,
      concurrency: CONCURRENCY,
      removeOnComplete: JOB_CATALOGUE.payouts.options.removeOnComplete,
    });
    noop.on('completed', () => done++);
    await pollUntil(() => done >= count, { timeoutMs: 300_000, intervalMs: 20, what: 'no-op drain' });
    const noopSeconds = (performance.now() - t2) / 1000;
    await noop.close();
    noopConnection.disconnect();
    await queue.close();

    const approvals = count / approvalSeconds;
    const payouts = count / payoutSeconds;
    const ceiling = count / noopSeconds;
    const loads = `1-minute load ${loadAtStart.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
    return {
      name: 'payouts',
      rows: [
        {
          metric: `brand approvals (${count}, 16 at a time; compare-and-set, budget, ledger entry)`,
          value: Math.round(approvals),
          unit: 'approvals/s',
          baseline: 'BullMQ no-op, same job count',
          baselineValue: Math.round(ceiling),
          ratio: approvals / ceiling,
          note: `${loads}; in the benchmark process against the database (FerretDB 2.7, own process)`,
        },
        {
          metric: `payouts through the PayPal stand-in (${count}, worker concurrency ${CONCURRENCY}, sweep every 1 s)`,
          value: Math.round(payouts * 10) / 10,
          unit: 'payouts/s',
          baseline: 'BullMQ no-op, same queue settings',
          baselineValue: Math.round(ceiling),
          ratio: payouts / ceiling,
          note:
            `approved → sending → paid, each checked against the stand-in's ledger (0 paid twice, 0 cents of drift); ` +
            `includes the worker's start and the sweep's follow-up wait; PayPal calls ${JSON.stringify(standIn.calls)}`,
        },
        {
          metric: 'BullMQ alone: no-op processor on a payouts queue',
          value: Math.round(ceiling),
          unit: 'jobs/s',
          note: `${count} jobs, concurrency ${CONCURRENCY}, in the benchmark process`,
        },
      ],
    };
  } finally {
    redis.disconnect();
    await conn.close();
    await stack.stop();
    await standIn.close();
    await ferret.stop();
  }
}

// Alone: `node bench/payouts.bench.mjs [--quick]` prints its rows (bench/run.mjs imports it instead).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await run({
    quick: process.argv.includes('--quick'),
    log: (m) => process.stderr.write(`[payouts] ${m}\n`),
  });
  for (const row of out.rows) {
    const base = row.baseline ? ` — ${row.baseline}: ${row.baselineValue} (${row.ratio.toFixed(2)}×)` : '';
    console.log(`${row.metric}: ${row.value} ${row.unit}${base}`);
  }
  process.exit(0);
}
