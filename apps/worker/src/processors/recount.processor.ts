import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/**
 * Compares stage counters with the documents, one campaign or all, and repairs drift. Drift means a bug or
 * a hand edit (every status move moves the counters in the same write), so it is logged as an error.
 */
export const recountProcessor =
  (s: WorkerServices): Handler<'recount'> =>
  async (job) => {
    const ids = job.campaignId ? [job.campaignId] : await s.repos.campaignIds();
    const out = { campaigns: ids.length, drifted: 0, swept: 0, unmeasured: 0 };
    for (const campaignId of ids) {
      const r = await s.repos.recount(campaignId, { repair: true });
      out.swept += r.swept;
      if (!r.measured) {
        out.unmeasured++;
        s.logger.warn({ campaignId }, 'stage counters kept moving during the recount; not compared this time');
      } else if (Object.keys(r.drift).length > 0 || r.miscounted > 0) {
        out.drifted++;
        s.logger.error(
          { campaignId, drift: r.drift, miscounted: r.miscounted, counters: r.counters, documents: r.documents },
          'stage counters drifted from the documents; repaired',
        );
      }
    }
    return out;
  };
