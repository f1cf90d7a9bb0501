import type { Connection } from 'mongoose';
import { BoundedCache } from '@seedline/domain';
import { duplicateIndexes, ignoreExists } from '../mongo-errors.js';
import type { Counter } from '../events/event.schema.js';
import type { InfluencerDoc } from './influencer.schema.js';

type ClickCounter = Exclude<Counter, 'remindersSent'>;
export type Counts = Partial<Record<ClickCounter, number>>;
interface CountsDoc extends Counts {
  _id: string;
}

const COUNTERS: ClickCounter[] = ['purchaseClicks', 'reviewClicks', 'botClicks'];
const COLLECTION = 'influencer_counts';

/**
 * The click counters of an influencer, in a small document of their own with no index but `_id` (issue 24).
 * In the database every write of an influencer document re-inserts it into each of its indexes, whatever changed;
 * a later click changes only a count, so its count lands here instead. Writers that write the
 * influencer anyway (a status move, a new fact) keep the count on the influencer in that same write. Every count
 * is a `$max` of its events' number taken after they were stored, so the true count is the larger of the two
 * places, which readers take (`attach`); documents written before this split simply have no counts document.
 */
export function clickCounts(conn: Connection) {
  const collection = conn.collection<CountsDoc>(COLLECTION);
  // Ids whose counts document exists (they are never deleted): those are updated; the others are first inserted
  // with their counts, which is the `$max` on an empty document, and updated only if another writer was first.
  const known = new BoundedCache<string, true>(200_000);
  const update = async (ids: string[], counts: Map<string, Counts>) => {
    const ops = ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $max: counts.get(_id) as Counts } } }));
    return (await collection.bulkWrite(ops, { ordered: false })).matchedCount === ops.length;
  };
  /** Inserts the documents missing, each with its counts (never an upsert: see influencer.defaults.ts). */
  const insert = async (ids: string[], counts: Map<string, Counts>): Promise<string[]> => {
    try {
      await collection.insertMany(
        ids.map((_id) => ({ _id, ...counts.get(_id) })),
        { ordered: false },
      );
      return [];
    } catch (err) {
      const there = duplicateIndexes(err, ids.length);
      if (!there) throw err;
      return [...there].map((i) => ids[i] as string);
    }
  };
  return {
    /** Raises each influencer's counts to at least the given ones (sorted by id, like every bulk here). */
    async raise(counts: Map<string, Counts>): Promise<void> {
      const ids = [...counts.keys()].sort();
      const old = ids.filter((id) => known.get(id));
      const fresh = ids.filter((id) => !known.get(id));
      const there = fresh.length ? await insert(fresh, counts) : [];
      const again = [...old, ...there].sort();
      if (again.length && !(await update(again, counts))) {
        // A document counted as existing is not there (a database rebuilt under a running worker): insert it.
        const missing = await insert(again, counts);
        if (missing.length) await update(missing, counts);
      }
      for (const id of ids) known.set(id, true);
    },
    /** The documents with each count the larger of theirs and their counts document's (one read for all). */
    async attach<T extends Pick<InfluencerDoc, '_id' | ClickCounter>>(docs: T[]): Promise<T[]> {
      if (docs.length === 0) return docs;
      const found = await collection
        .find({ _id: { $in: docs.map((d) => d._id) } }, { batchSize: docs.length + 1 })
        .toArray();
      const byId = new Map(found.map((c) => [c._id, c]));
      return docs.map((doc) => {
        const c = byId.get(doc._id);
        if (!c) return doc;
        const out = { ...doc };
        for (const k of COUNTERS) out[k] = Math.max(doc[k] ?? 0, c[k] ?? 0);
        return out;
      });
    },
    async ensureCollection(): Promise<void> {
      await conn.createCollection(COLLECTION).catch(ignoreExists);
    },
  };
}
export type ClickCounts = ReturnType<typeof clickCounts>;
