import { runCase, runIfMain } from '../lib/case.mjs';
import { driveLoad } from '../lib/workload.mjs';

/** SIGTERM every app mid-load (graceful shutdown), then start them again; traffic keeps coming throughout. */
const def = {
  name: 'sigterm-all',
  title: 'SIGTERM everything mid-load and restart',
  ci: true,
  run: ({ ci, log }) =>
    runCase(def, { log }, async ({ stack, w, ledger }) => {
      const durationMs = ci ? 14_000 : 40_000;
      const load = driveLoad(w, ledger, { rate: 100, durationMs });
      await new Promise((r) => setTimeout(r, durationMs / 3));
      const codes = await Promise.all(['ingest', 'worker', 'api'].map((n) => stack.apps[n].stop()));
      log(`all apps stopped (exit codes ${codes.join(', ')}); restarting`);
      for (const name of ['api', 'ingest', 'worker']) await stack.start(name);
      const faultEndedAt = Date.now();
      const stats = await load;
      return {
        faultEndedAt,
        checks: [{ name: 'every app exited 0 on SIGTERM', ok: codes.every((c) => c === 0), detail: codes.join(', ') }],
        notes: `100 ev/s for ${durationMs / 1000} s, all three apps stopped together; load ${JSON.stringify(stats.statuses)}`,
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
