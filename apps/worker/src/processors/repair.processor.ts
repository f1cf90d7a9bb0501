import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/** Rebuilds a document a vanished lock holder may have written over late (see RepairJob). */
export const repairProcessor =
  (s: WorkerServices): Handler<'repairs'> =>
  async (job) => {
    const changes = await s.locks.withLocks([job.influencerId], () => s.repos.influencers.rebuild(job.influencerId));
    await s.afterChanges(changes);
    return { changes: changes.length };
  };
