import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/** Each job's events ride the shared batcher; the job resolves once its batch is written. */
export const clickProcessor =
  (s: WorkerServices): Handler<'clicks'> =>
  async (job) => {
    const outcome = await s.applyClicks(job.events);
    return { events: job.events.length, batchDuplicates: outcome.duplicates };
  };
