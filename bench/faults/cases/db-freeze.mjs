import { runCase, runIfMain } from '../lib/case.mjs';
import { driveLoad } from '../lib/workload.mjs';

/** SIGSTOP the case's own FerretDB mid-load, SIGCONT it later: the database hangs rather than refuses. */
const def = {
  name: 'db-freeze',
  title: 'Database frozen (SIGSTOP/SIGCONT)',
  ci: true,
  run: ({ ci, log }) =>
    runCase(def, { log }, async ({ w, ledger, services }) => {
      const frozenMs = ci ? 10_000 : 30_000;
      const durationMs = frozenMs + (ci ? 10_000 : 20_000);
      const load = driveLoad(w, ledger, { rate: 80, durationMs });
      await new Promise((r) => setTimeout(r, ci ? 4000 : 8000));
      services.ferret.freeze();
      log(`database frozen for ${frozenMs / 1000} s`);
      await new Promise((r) => setTimeout(r, frozenMs));
      services.ferret.thaw();
      const faultEndedAt = Date.now();
      const stats = await load;
      return {
        faultEndedAt,
        notes: `80 ev/s for ${durationMs / 1000} s, FerretDB stopped ${frozenMs / 1000} s; load ${JSON.stringify(stats.statuses)}`,
        checks: [
          {
            name: 'tracked links kept redirecting (no 5xx) while the database was frozen',
            ok: ledger.linkFiveXX === 0,
            detail: String(ledger.linkFiveXX),
          },
        ],
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
