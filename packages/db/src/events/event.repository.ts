import type { Connection } from 'mongoose';
import { duplicateIndexes, ignoreExists, isDuplicateKey, orderedDuplicateAt } from '../mongo-errors.js';
import { eventModel, type Counter, type EventDoc } from './event.schema.js';

export interface InsertOutcome {
  inserted: Set<string>;
  duplicates: Set<string>;
}

export function eventRepository(conn: Connection) {
  const Event = eventModel(conn);
  return {
    /** Inserts what is new; an id seen before is reported as a duplicate, never as an error. */
    async insertNew(docs: EventDoc[]): Promise<InsertOutcome> {
      const inserted = new Set(docs.map((d) => d._id));
      const duplicates = new Set<string>();
      if (docs.length === 0) return { inserted, duplicates };
      try {
        await Event.collection.insertMany(docs as never[], { ordered: false });
      } catch (err) {
        const refused = duplicateIndexes(err, docs.length);
        if (!refused) throw err;
        for (const i of refused) {
          const doc = docs[i];
          if (!doc) continue;
          inserted.delete(doc._id);
          duplicates.add(doc._id);
        }
      }
      return { inserted, duplicates };
    },
    /**
     * Inserts in order in one command, stopping at the first id seen before: returns how many were stored ahead
     * of it (all of them: `docs.length`). A document after a duplicate is not stored.
     */
    async insertInOrder(docs: EventDoc[]): Promise<number> {
      if (docs.length === 0) return 0;
      try {
        await Event.collection.insertMany(docs as never[], { ordered: true });
        return docs.length;
      } catch (err) {
        const at = orderedDuplicateAt(err);
        if (at === null) throw err;
        return at;
      }
    },
    async insertOne(doc: EventDoc): Promise<boolean> {
      try {
        await Event.collection.insertOne(doc as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async findById(id: string): Promise<EventDoc | null> {
      return Event.findById(id).lean<EventDoc>().exec();
    },
    /** Every entry of an influencer, oldest first (for rebuilding its document; not for serving). */
    async forInfluencer(influencerId: string): Promise<EventDoc[]> {
      return Event.find({ influencerId }).sort({ at: 1, _id: 1 }).lean<EventDoc[]>().exec();
    },
    /** Entries per influencer and counter, for the given influencers and counters, in one command. */
    async countMany(influencerIds: string[], counters: Counter[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (influencerIds.length === 0 || counters.length === 0) return out;
      const groups = await Event.collection
        .aggregate<{ _id: { i: string; c: Counter }; n: number }>(
          [
            { $match: { influencerId: { $in: influencerIds }, counter: { $in: counters } } },
            { $group: { _id: { i: '$influencerId', c: '$counter' }, n: { $sum: 1 } } },
          ],
          { batchSize: influencerIds.length * counters.length + 1 },
        )
        .toArray();
      for (const g of groups) out.set(countKey(g._id.i, g._id.c), g.n);
      return out;
    },
    /**
     * The influencer's timeline, oldest first: every entry that is not a click (sign-up, status changes,
     * verdicts, reminders, money: a few per influencer, capped at FACTS_MAX) and the latest `clickLimit` clicks.
     * Clicks come from public links and may run to any number: the older ones are left out (the influencer's
     * click counters still count them), never the facts between them.
     */
    async timeline(influencerId: string, clickLimit = 200): Promise<EventDoc[]> {
      const latest = (counter: object, limit: number) =>
        Event.find({ influencerId, counter }).sort({ at: -1, _id: -1 }).limit(limit).lean<EventDoc[]>().exec();
      const [facts, clicks] = await Promise.all([
        latest({ $nin: CLICK_COUNTERS }, FACTS_MAX),
        latest({ $in: CLICK_COUNTERS }, clickLimit),
      ]);
      const key = (e: EventDoc) => `${e.at.toISOString()} ${e._id}`;
      return [...facts, ...clicks].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    },
    /** The influencers' status-change entries (a few each, ids fixed per influencer and status). */
    async statusEntriesOf(influencerIds: string[]): Promise<EventDoc[]> {
      if (influencerIds.length === 0) return [];
      return Event.find({ influencerId: { $in: influencerIds }, type: 'status_change' })
        .lean<EventDoc[]>()
        .exec();
    },
    async ensureIndexes(): Promise<void> {
      await Event.createCollection().catch(ignoreExists);
      await Event.syncIndexes();
    },
  };
}
export type EventRepository = ReturnType<typeof eventRepository>;

/** The counters of click entries: the part of a timeline a public link can grow without bound. */
export const CLICK_COUNTERS: Counter[] = ['purchaseClicks', 'reviewClicks', 'botClicks'];
/** Entries other than clicks kept in a timeline at most (an influencer has a handful). */
const FACTS_MAX = 1000;

export const countKey = (influencerId: string, counter: Counter) => `${influencerId} ${counter}`;
