import type { ClickEvent } from '@seedline/domain';
import type { Counter } from '../events/event.schema.js';
import { countKey, type EventRepository } from '../events/event.repository.js';
import { aggregateClicks, clickEventDoc, dedupeById, type ClickAggregate, type Fact } from './click-events.js';
import type { ClickCounts } from './click-counts.js';
import { byId } from './influencer.defaults.js';
import type { InfluencerDoc } from './influencer.schema.js';
import type { StatusChange, StatusWriter } from './influencer.status.js';

export interface ClickBatchOutcome {
  applied: number;
  duplicates: number;
  changes: StatusChange[];
  /**
   * influencers with a click recorded before (a redelivered job): a worker killed after its status write and
   * before announcing the move left changes only this repeat can announce (see `recordedChanges`)
   */
  repeated: string[];
  /** the causes (`click <id>`) those repeated clicks would have given a move: only such moves are announced again */
  repeatedCauses: string[];
}

type UpdateOp = { updateOne: { filter: { _id: string }; update: Record<string, Record<string, unknown>> } };

/** What the click writer needs of the influencer repository. */
export interface ClickContext {
  events: EventRepository;
  status: StatusWriter;
  counts: ClickCounts;
  /** whether a click's facts may still move the influencer's status (the repository knows settled facts) */
  mayMove(id: string, min: ClickAggregate['min']): boolean;
  remember(docs: InfluencerDoc[]): void;
  /** idempotent updates; documents missing are created and the bulk sent again */
  updateAll(ops: UpdateOp[], campaignOf: Map<string, string>): Promise<void>;
  reconcileMany(ids: string[], causeOf: (id: string) => string | undefined): Promise<StatusChange[]>;
}

/** What a move a click made names as its cause (the status entry's source: `status model (click <id>)`). */
const clickCause = (eventDocId: string) => `click ${eventDocId.replace(/^click-/, '')}`;

/** One influencer's share of a batch: counters raised to their entries' count, facts lowered, purchased. */
interface ClickUpdate {
  max: Partial<Record<Counter, number>>;
  min: Partial<Record<Fact, Date>>;
}

function toUpdate(u: ClickUpdate): Record<string, Record<string, unknown>> {
  const update: Record<string, Record<string, unknown>> = { $max: u.max };
  if (Object.keys(u.min).length) update.$min = u.min;
  if (u.min.firstPurchaseClickAt) update.$set = { purchased: true };
  return update;
}

/** The document as the update leaves it (`$max`, `$min`, `$set` done in memory). */
function merged(doc: InfluencerDoc, u: ClickUpdate): InfluencerDoc {
  const out: InfluencerDoc = { ...doc };
  for (const [c, n] of Object.entries(u.max) as [Counter, number][]) out[c] = Math.max(doc[c] ?? 0, n);
  for (const [f, at] of Object.entries(u.min) as [Fact, Date][]) {
    const stored = doc[f];
    out[f] = stored && new Date(stored).getTime() <= at.getTime() ? stored : at;
  }
  if (u.min.firstPurchaseClickAt) out.purchased = true;
  return out;
}

/**
 * Click events, many at once: one unordered insert of their timeline entries (the event id is the `_id`, so a
 * redelivered event is reported as a duplicate), one count of the touched counters' entries, then one write
 * per influencer. Influencers whose status may move are read beside the insert, so their click and their
 * status move go out as one compare-and-set (in the database every write re-indexes the whole document); the
 * others, and those another writer changed in between, get the click's update alone, then a reconcile.
 */
export function clickWriter(ctx: ClickContext) {
  const { events, status } = ctx;
  return {
    async apply(batch: ClickEvent[]): Promise<ClickBatchOutcome> {
      // Sorted by id: the database applies a bulk command in one transaction, row by row, so concurrent bulks
      // that touch the same rows must take them in one order or deadlock (seen here under two workers).
      const docs = dedupeById(batch.map(clickEventDoc)).sort(byId);
      const byInfluencer = aggregateClicks(docs);
      const moved = [...byInfluencer.keys()].filter((id) => ctx.mayMove(id, byInfluencer.get(id)!.min)).sort();
      const movable = new Set(moved);
      const settledFacts = new Set([...byInfluencer.keys()].filter((id) => !movable.has(id)));
      const [{ inserted, duplicates }, read] = await Promise.all([
        events.insertNew(docs),
        moved.length ? status.readAll(moved) : Promise.resolve([]),
      ]);
      const touched = new Set<Counter>();
      for (const agg of byInfluencer.values()) for (const c of agg.counters) touched.add(c);
      const counts = await events.countMany([...byInfluencer.keys()], [...touched]);
      const updates = new Map<string, ClickUpdate>(
        [...byInfluencer].map(([id, agg]) => [
          id,
          {
            max: Object.fromEntries([...agg.counters].map((c) => [c, counts.get(countKey(id, c)) ?? 0])),
            min: agg.min,
          },
        ]),
      );
      const causeOf = (id: string) => {
        const agg = byInfluencer.get(id);
        const cause = agg?.cause.firstReviewClickAt ?? agg?.cause.firstPurchaseClickAt;
        return cause ? clickCause(cause) : undefined;
      };
      const written = await status.writeWith(
        read.map((doc) => {
          const u = updates.get(doc._id) as ClickUpdate;
          return { merged: merged(doc, u), update: toUpdate(u), cause: causeOf(doc._id), force: true };
        }),
      );
      ctx.remember(written.settled);
      const done = new Set(read.map((d) => d._id));
      for (const id of written.unwritten) done.delete(id);
      const rest = [...updates.keys()].filter((id) => !done.has(id) && !settledFacts.has(id)).sort();
      // Facts known settled: the update would change only counts, which go to the counts documents instead
      // (no influencer index to rewrite: click-counts.ts).
      await ctx.counts.raise(new Map([...settledFacts].map((id) => [id, (updates.get(id) as ClickUpdate).max])));
      // Every update is idempotent ($max, $min, $set), so one that found no document is simply sent again.
      if (rest.length)
        await ctx.updateAll(
          rest.map((id) => ({ updateOne: { filter: { _id: id }, update: toUpdate(updates.get(id) as ClickUpdate) } })),
          new Map(rest.map((id) => [id, byInfluencer.get(id)!.campaignId])),
        );
      const again = moved.filter((id) => !done.has(id));
      const more = again.length ? await ctx.reconcileMany(again, causeOf) : [];
      const seenBefore = docs.filter((d) => duplicates.has(d._id));
      return {
        applied: inserted.size,
        duplicates: duplicates.size,
        changes: [...written.changes, ...more],
        repeated: [...new Set(seenBefore.map((d) => d.influencerId))],
        repeatedCauses: seenBefore.map((d) => clickCause(d._id)),
      };
    },
  };
}
