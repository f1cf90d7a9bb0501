import type { Connection } from 'mongoose';
import { STATUSES, type Status } from '@seedline/domain';
import {
  COUNTER_FIELDS,
  deltaBetween,
  sameKey,
  zeroCounts,
  type CountKey,
  type CounterDelta,
  type CounterValues,
} from './stage-counter.schema.js';
import type { StageCounters } from './stage-counters.js';

export interface RecountReport {
  campaignId: string;
  /** false when writers kept moving the counters during every attempt to measure them */
  measured: boolean;
  /** what the counters said (moves not folded yet included) */
  counters: CounterValues;
  /** what the documents say */
  documents: CounterValues;
  /** documents − counters, non-zero fields only: empty when there is no drift */
  drift: CounterDelta;
  /** documents whose recorded count key differs from their status (reconciled when repairing) */
  miscounted: number;
  /** old moves folded by the sweep (a writer that died before folding them; not drift) */
  swept: number;
  repaired: boolean;
}

interface Group {
  _id: { l?: boolean; s?: Status; p?: boolean; cs?: Status | null; cp?: boolean | null };
  n: number;
}

const MEASURE_ATTEMPTS = 5;

/**
 * Compares a campaign's stage counters with its documents. Counters are read before and after one grouped
 * pass over the documents; the pass is trusted only if the counters did not move meanwhile (every status
 * move moves them, in the same write). With `repair`, documents whose count key disagrees with their status
 * are reconciled (their compare-and-set moves the counters), and what remains is corrected in a slot.
 */
export async function recountCampaign(
  conn: Connection,
  counters: StageCounters,
  reconcile: (influencerId: string) => Promise<unknown>,
  campaignId: string,
  opts: { repair: boolean },
): Promise<RecountReport> {
  const swept = opts.repair ? await counters.sweep(campaignId) : 0;
  const influencers = conn.collection('influencers');
  let measured = false;
  let before = zeroCounts();
  let groups: Group[] = [];
  for (let attempt = 0; attempt < MEASURE_ATTEMPTS && !measured; attempt++) {
    before = (await counters.read(campaignId)).counts;
    groups = await influencers
      .aggregate<Group>([
        { $match: { campaignId } },
        {
          $group: {
            _id: { l: '$listed', s: '$status', p: '$purchased', cs: '$counted.stage', cp: '$counted.purchased' },
            n: { $sum: 1 },
          },
        },
      ])
      .toArray();
    const after = (await counters.read(campaignId)).counts;
    measured = COUNTER_FIELDS.every((f) => before[f] === after[f]);
  }
  const documents = zeroCounts();
  const recorded = zeroCounts();
  const wrong: Group['_id'][] = [];
  let miscounted = 0;
  for (const g of groups) {
    const is: CountKey | null =
      g._id.l === true && g._id.s && STATUSES.includes(g._id.s)
        ? { stage: g._id.s, purchased: g._id.p === true }
        : null;
    const was: CountKey | null = g._id.cs ? { stage: g._id.cs, purchased: g._id.cp === true } : null;
    addTimes(documents, deltaBetween(null, is), g.n);
    addTimes(recorded, deltaBetween(null, was), g.n);
    if (!sameKey(is, was)) {
      wrong.push(g._id);
      miscounted += g.n;
    }
  }
  const drift = difference(documents, before);
  const report: RecountReport = {
    campaignId,
    measured,
    counters: before,
    documents,
    drift,
    miscounted,
    swept,
    repaired: false,
  };
  if (!opts.repair || !measured || (Object.keys(drift).length === 0 && miscounted === 0)) return report;
  // Counters first made equal to what the documents say they count as, then the documents moved to what
  // they are, each through its own compare-and-set, which moves the counters along.
  await counters.correct(campaignId, difference(recorded, before));
  for (const key of wrong) {
    const ids = await influencers
      .find(
        {
          campaignId,
          listed: key.l ?? null,
          status: key.s ?? null,
          purchased: key.p ?? null,
          'counted.stage': key.cs ?? null,
          'counted.purchased': key.cp ?? null,
        },
        { projection: { _id: 1 } },
      )
      .toArray();
    for (const { _id } of ids) await reconcile(String(_id));
  }
  return { ...report, repaired: true };
}

function addTimes(into: CounterValues, d: CounterDelta, n: number): void {
  for (const [f, v] of Object.entries(d) as [keyof CounterValues, number][]) into[f] += v * n;
}

function difference(a: CounterValues, b: CounterValues): CounterDelta {
  const d: CounterDelta = {};
  for (const f of COUNTER_FIELDS) if (a[f] !== b[f]) d[f] = a[f] - b[f];
  return d;
}
