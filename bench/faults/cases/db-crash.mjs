import { runCase, runIfMain } from '../lib/case.mjs';
import { driveLoad } from '../lib/workload.mjs';

/**
 * Crash PostgreSQL mid-load, as DocumentDB's segfaults did under the benchmarks: one backend dies of SIGSEGV,
 * the postmaster ends every connection, replays its WAL and comes back. Writes in flight fail; none that was
 * acknowledged to the worker may vanish, and every job must still land.
 */
const def = {
  name: 'db-crash',
  title: 'PostgreSQL crashed mid-batch (backend SIGSEGV, crash recovery)',
  ci: true,
  run: ({ ci, log }) =>
    runCase(def, { log, ownPostgres: true }, async ({ w, ledger, services }) => {
      const crashes = ci ? 2 : 4;
      const gapMs = ci ? 4000 : 7000;
      const durationMs = (crashes + 1) * gapMs;
      const load = driveLoad(w, ledger, { rate: 150, durationMs });
      const victims = [];
      for (let i = 0; i < crashes; i++) {
        await new Promise((r) => setTimeout(r, gapMs));
        const victim = await services.postgres.crash();
        victims.push(victim.what.replace(/^\S+ \S+ \S+ /, ''));
        log(`PostgreSQL backend ${victim.pid} crashed (${victim.what}); waiting for recovery`);
        await services.postgres.recovered();
      }
      const faultEndedAt = Date.now();
      const stats = await load;
      return {
        faultEndedAt,
        notes: `150 ev/s for ${durationMs / 1000} s; ${crashes} crashes of a backend running: ${victims.join(', ')}; load ${JSON.stringify(stats.statuses)}`,
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
