import { pollUntil } from '@seedline/testkit';
import { runCase, runIfMain } from '../lib/case.mjs';
import { driveLoad, pendingJobs } from '../lib/workload.mjs';

/** SIGKILL the worker while it holds jobs; a new worker takes them over once their locks expire. */
const def = {
  name: 'worker-sigkill',
  title: 'SIGKILL the worker mid-batch',
  ci: true,
  run: ({ ci, log }) =>
    runCase(def, { log }, async ({ stack, w, ledger }) => {
      const durationMs = ci ? 10_000 : 30_000;
      const load = driveLoad(w, ledger, { rate: 150, durationMs });
      await new Promise((r) => setTimeout(r, durationMs / 3));
      // Mid-batch: wait until the worker holds jobs, then kill it without warning.
      const activeAtKill = await pollUntil(async () => (await pendingJobs(stack)) > 0 && (await pendingJobs(stack)), {
        timeoutMs: 5000,
        intervalMs: 5,
      }).catch(() => 0);
      await stack.apps.worker.kill();
      log(`worker killed with ${activeAtKill} jobs pending; restarting`);
      await stack.start('worker');
      const faultEndedAt = Date.now();
      const stats = await load;
      return {
        faultEndedAt,
        notes: `150 ev/s for ${durationMs / 1000} s; killed with ${activeAtKill} jobs pending; load ${JSON.stringify(stats.statuses)}`,
      };
    }),
};
export default def;
await runIfMain(import.meta, def);
