import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/** Records an unsubscribe; the sender re-checks it before every reminder, so none goes out after it. */
export const unsubscribeProcessor =
  (s: WorkerServices): Handler<'unsubscribes'> =>
  async (job) =>
    s.repos.unsubscribes.apply(job);
