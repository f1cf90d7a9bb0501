import { runCase, runIfMain } from '../lib/case.mjs';
import { startRedis } from '../lib/services.mjs';
import { driveLoad } from '../lib/workload.mjs';

/**
 * Hard-kill Redis (SIGKILL: no shutdown save) mid-load, keep it down, restart it from its AOF. Ingest keeps
 * redirecting and spools what Redis cannot take; the worker reconnects; BullMQ redelivers what was in flight.
 *
 * Durability bound stated up front: with `appendfsync everysec` Redis may lose at most about the last
 * second of writes it acknowledged before a hard kill of the MACHINE (a killed process loses nothing that
 * reached the kernel). The case therefore allows as lost at most the events acknowledged in the last second
 * before the kill, and reports how many were actually lost.
 */
const AOF_WINDOW_MS = 1000;
const def = {
  name: 'redis-outage',
  title: 'Redis SIGKILLed, down, restarted from AOF everysec',
  ci: true,
  run: ({ ci, log }) => {
    const downMs = ci ? 6_000 : 20_000;
    let redis;
    return runCase(
      def,
      {
        log,
        services: async (cleanups) => {
          redis = await startRedis(def.name);
          cleanups.push(() => redis.remove());
          return { env: { REDIS_URL: redis.url } };
        },
      },
      async ({ w, ledger }) => {
        const durationMs = downMs + (ci ? 10_000 : 20_000);
        const load = driveLoad(w, ledger, { rate: 100, durationMs });
        await new Promise((r) => setTimeout(r, ci ? 4000 : 8000));
        const killedAt = Date.now();
        await redis.kill();
        log(`redis killed; down for ${downMs / 1000} s`);
        await new Promise((r) => setTimeout(r, downMs));
        await redis.start();
        const faultEndedAt = Date.now();
        log('redis restarted from its AOF');
        const stats = await load;
        const allowedLoss = ledger.ackedBetween(killedAt - AOF_WINDOW_MS, killedAt);
        return {
          faultEndedAt,
          allowedLoss,
          notes: `100 ev/s for ${durationMs / 1000} s, Redis down ${downMs / 1000} s; AOF everysec window allows ≤ ${allowedLoss} (events acknowledged in the last second before the kill); load ${JSON.stringify(stats.statuses)}`,
          checks: [
            {
              name: 'tracked links kept redirecting (no 5xx) while Redis was down',
              ok: ledger.linkFiveXX === 0,
              detail: String(ledger.linkFiveXX),
            },
          ],
        };
      },
    );
  },
};
export default def;
await runIfMain(import.meta, def);
