import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { runCase, runIfMain } from '../lib/case.mjs';
import { driveLoad } from '../lib/workload.mjs';

/**
 * The database down for longer than the event jobs' whole retry budget (12 attempts, doubling from
 * EVENT_RETRY_BASE_MS: ~17 min in production). The clock is shortened, not the guarantee: the base delay is cut
 * so that the budget is ~10 s in CI and ~100 s in the full suite, and PostgreSQL stays down for about twice
 * that (the full run stands for a 30-minute outage against the 17-minute budget). Every acknowledged event must
 * be applied once it is back: parked, never failed.
 */
const EVENT_QUEUES = ['signups', 'clicks', 'submissions', 'unsubscribes'];

async function failedJobs(stack) {
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let n = 0;
    for (const name of EVENT_QUEUES) {
      const q = new Queue(name, { connection: redis, prefix: stack.prefix });
      n += (await q.getJobCounts('failed')).failed ?? 0;
      await q.close();
    }
    return n;
  } finally {
    redis.disconnect();
  }
}

async function replayedTotal(stack) {
  const text = await (await fetch(`${stack.apiUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('seedline_jobs_replayed_total{'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

const def = {
  name: 'db-outage',
  title: 'Database down longer than the retry budget (PostgreSQL stopped, then started)',
  ci: true,
  run: ({ ci, log }) => {
    const baseMs = ci ? 5 : 50;
    const budgetMs = baseMs * (2 ** 11 - 1);
    const downMs = Math.round(budgetMs * 2 + (ci ? 4000 : 0));
    const env = { EVENT_RETRY_BASE_MS: String(baseMs), DB_PROBE_MS: '250', CAMPAIGN_CACHE_MS: '5000' };
    return runCase(def, { log, ownPostgres: true, env }, async ({ stack, w, ledger, services }) => {
      const durationMs = downMs + (ci ? 10_000 : 20_000);
      const load = driveLoad(w, ledger, { rate: 60, durationMs });
      await new Promise((r) => setTimeout(r, ci ? 3000 : 6000));
      await services.postgres.stop();
      log(`PostgreSQL stopped for ${downMs / 1000} s (retry budget ${(budgetMs / 1000).toFixed(1)} s)`);
      await new Promise((r) => setTimeout(r, downMs));
      const failedDuring = await failedJobs(stack);
      await services.postgres.start();
      const faultEndedAt = Date.now();
      const stats = await load;
      return {
        faultEndedAt,
        notes: `60 ev/s for ${durationMs / 1000} s; PostgreSQL down ${downMs / 1000} s against a retry budget of ${(budgetMs / 1000).toFixed(1)} s; load ${JSON.stringify(stats.statuses)}`,
        checks: [
          {
            name: 'no event job failed for good during the outage',
            ok: failedDuring === 0,
            detail: String(failedDuring),
          },
          {
            name: 'tracked links kept redirecting (no 5xx) while the database was down',
            ok: ledger.linkFiveXX === 0,
            detail: String(ledger.linkFiveXX),
          },
        ],
        // Read after the case settled (see below): the replay is counted by /metrics.
        after: async () => {
          const [failed, replayed] = [await failedJobs(stack), await replayedTotal(stack)];
          const logs = stack.apps.worker?.logs() ?? '';
          return [
            {
              name: 'the worker logged parking and the replay',
              ok: logs.includes('event jobs are parked') && logs.includes('parked jobs replayed'),
              detail: logs.includes('event jobs are parked') ? 'parked' : 'no parking logged',
            },
            { name: 'no event job failed for good', ok: failed === 0, detail: String(failed) },
            { name: '/metrics counts replayed jobs', ok: replayed > 0, detail: String(replayed) },
          ];
        },
      };
    });
  },
};
export default def;
await runIfMain(import.meta, def);
