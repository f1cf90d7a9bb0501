import { randomInt } from 'node:crypto';
import type { Connection } from 'mongoose';
import { ignoreExists, isDuplicateKey } from '../mongo-errors.js';
import {
  COUNTER_FIELDS,
  stageCounterModel,
  zeroCounts,
  type CounterDelta,
  type CounterValues,
  type PendingCount,
} from './stage-counter.schema.js';

/** A counter move and the influencer that holds it until it is folded. */
export interface CounterTransfer extends PendingCount {
  influencerId: string;
}

/** Slots per campaign. Each process writes one of them per campaign (picked at random), so writers rarely meet. */
export const COUNTER_SLOTS = 16;
/**
 * A writer folds its own moves only this soon after writing them; older ones are left to the recount's sweep
 * (which takes moves older than SWEEP_AFTER_MS). The gap keeps a slow writer and the sweep from folding one
 * move twice: the marker that guards it is cleared once the influencer no longer holds the move.
 */
export const OWN_FOLD_DEADLINE_MS = 30_000;
export const SWEEP_AFTER_MS = 120_000;
/**
 * A folded move's marker outlives the move on its influencer by this much, so a read that saw the move on
 * the influencer a moment ago still finds the marker in the slot and does not count the move twice.
 */
const MARKER_GRACE_MS = 250;

/** The moves influencers hold with one delta (and slot): what `read` gets back per group. */
interface HeldGroup {
  _id: { d?: CounterDelta; s?: number };
  ts: string[];
}

export interface CounterRead {
  counts: CounterValues;
  /** moves not folded yet (included in `counts`) */
  unfolded: number;
}

/**
 * Per-campaign stage counters: slot documents summed on read, plus the moves still held by influencers.
 * Folding is coalesced: moves handed in while a fold runs go out together in the next one (one update per
 * campaign and one for the influencers), so concurrent jobs share round trips.
 */
export function stageCounters(conn: Connection, opts: { onFoldError?: (err: unknown) => void } = {}) {
  const Counter = stageCounterModel(conn);
  const slots = Counter.collection;
  const influencers = () => conn.collection('influencers');
  const mySlot = new Map<string, number>();
  /** slots known to exist */
  const existing = new Set<string>();
  /** markers this process may clear at its next update of the slot (their influencers dropped the moves) */
  const clearable = new Map<string, { t: string; since: number }[]>();
  /** The markers of a slot old enough to clear; the younger ones stay listed. */
  const takeClearable = (id: string): string[] => {
    const cutoff = Date.now() - MARKER_GRACE_MS;
    const all = clearable.get(id) ?? [];
    const keep = all.filter((m) => m.since > cutoff);
    if (keep.length) clearable.set(id, keep);
    else clearable.delete(id);
    return all.filter((m) => m.since <= cutoff).map((m) => m.t);
  };
  const putBack = (id: string, ts: string[], since: number) =>
    clearable.set(id, [...(clearable.get(id) ?? []), ...ts.map((t) => ({ t, since }))]);
  let queue: { items: CounterTransfer[]; done: () => void }[] = [];
  let running = false;
  const clearScheduled = new Set<string>();
  /** Clears a slot's markers after their grace unless a fold took them first: after a burst the last folds'
   * markers (hundreds) would stay until the sweep, read whole by every summary and rewritten by the next fold. */
  const scheduleClear = (id: string): void => {
    if (clearScheduled.has(id)) return;
    clearScheduled.add(id);
    setTimeout(() => {
      clearScheduled.delete(id);
      const ts = takeClearable(id);
      if (clearable.has(id)) scheduleClear(id);
      if (ts.length === 0) return;
      slots
        .updateOne({ _id: id } as never, { $unset: Object.fromEntries(ts.map((t) => [`applied.${t}`, ''])) })
        .catch(() => putBack(id, ts, 0));
    }, MARKER_GRACE_MS + 50).unref();
  };

  const slotId = (campaignId: string, slot: number) => `${campaignId}~${slot}`;

  function sumOf(list: PendingCount[]): CounterDelta {
    const inc: CounterDelta = {};
    for (const t of list)
      for (const [f, n] of Object.entries(t.d) as [keyof CounterDelta, number][]) inc[f] = (inc[f] ?? 0) + n;
    for (const f of COUNTER_FIELDS) if (inc[f] === 0) delete inc[f];
    return inc;
  }

  /**
   * Creates the slot if it is not there (once per process and slot). A plain insert, never an upsert: FerretDB
   * 2.7 loses one of two concurrent upserts that both insert, and two processes may share a slot.
   */
  async function ensureSlot(id: string, campaignId: string): Promise<void> {
    if (existing.has(id)) return;
    try {
      await slots.insertOne({ _id: id, campaignId, ...zeroCounts() } as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    if (existing.size > 100_000) existing.clear();
    existing.add(id);
  }

  /** Adds the moves to one slot unless any of them is marked there already (then one by one). */
  async function addToSlot(id: string, campaignId: string, list: PendingCount[], clear: string[]): Promise<void> {
    await ensureSlot(id, campaignId);
    const now = new Date();
    const marks = Object.fromEntries(list.map((t) => [`applied.${t.t}`, now]));
    const unmarked = Object.fromEntries(list.map((t) => [`applied.${t.t}`, { $exists: false }]));
    const inc = sumOf(list);
    const res = await slots.updateOne({ _id: id, ...unmarked } as never, {
      ...(Object.keys(inc).length ? { $inc: inc } : {}),
      $set: marks,
      ...(clear.length ? { $unset: Object.fromEntries(clear.map((t) => [`applied.${t}`, ''])) } : {}),
    });
    if (res.matchedCount === 1) return;
    // A move of the list is marked there already (folded before): one at a time, each skipped if marked.
    for (const t of list) {
      await slots.updateOne({ _id: id, [`applied.${t.t}`]: { $exists: false } } as never, {
        $inc: t.d,
        $set: { [`applied.${t.t}`]: now },
      });
    }
    putBack(id, clear, 0);
  }

  /** Folds moves into their slots, then drops them from their influencers. */
  async function fold(list: CounterTransfer[], clearAtOnce: boolean): Promise<void> {
    if (list.length === 0) return;
    const bySlot = new Map<string, CounterTransfer[]>();
    for (const t of list) {
      const id = slotId(t.c, t.s);
      bySlot.set(id, [...(bySlot.get(id) ?? []), t]);
    }
    await Promise.all(
      [...bySlot].map(([id, group]) => {
        const clear = takeClearable(id);
        return addToSlot(id, (group[0] as CounterTransfer).c, group, clear);
      }),
    );
    // One statement per influencer, sorted by id like every other bulk over influencers: the database runs
    // a command in one transaction, and an updateMany would lock its rows in storage order (deadlocks seen).
    const byInfluencer = new Map<string, string[]>();
    for (const t of list) byInfluencer.set(t.influencerId, [...(byInfluencer.get(t.influencerId) ?? []), t.t]);
    await influencers().bulkWrite(
      [...byInfluencer]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([id, ts]) => ({
          updateOne: { filter: { _id: id }, update: { $pull: { pendingCounts: { t: { $in: ts } } } } },
        })) as never,
      { ordered: false },
    );
    for (const [id, group] of bySlot) {
      const done = group.map((t) => t.t);
      if (clearAtOnce)
        await slots.updateOne({ _id: id } as never, {
          $unset: Object.fromEntries(done.map((t) => [`applied.${t}`, ''])),
        });
      else {
        putBack(id, done, Date.now());
        scheduleClear(id);
      }
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const entries = queue;
      queue = [];
      const cutoff = Date.now() - OWN_FOLD_DEADLINE_MS;
      try {
        await fold(
          entries.flatMap((e) => e.items).filter((t) => new Date(t.at).getTime() > cutoff),
          false,
        );
      } catch (err) {
        // The moves stay on their influencers, where reads count them and the recount folds them later.
        opts.onFoldError?.(err);
      }
      for (const e of entries) e.done();
    }
    running = false;
  }

  return {
    /** The slot this process folds a campaign's moves into. */
    slotFor(campaignId: string): number {
      let s = mySlot.get(campaignId);
      if (s === undefined) {
        if (mySlot.size > 100_000) mySlot.clear();
        s = randomInt(COUNTER_SLOTS);
        mySlot.set(campaignId, s);
      }
      return s;
    },

    /**
     * Folds moves this process just wrote. Never rejects: a move it could not fold stays on its influencer,
     * counted by every read, until the recount folds it.
     */
    fold(items: CounterTransfer[]): Promise<void> {
      if (items.length === 0) return Promise.resolve();
      const done = new Promise<void>((resolve) => queue.push({ items, done: resolve }));
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
      return done;
    },

    /** The campaign's counts: its slots, plus the moves its influencers hold that no slot has taken yet. */
    async read(campaignId: string): Promise<CounterRead> {
      // Holders first, slots second: a move dropped from its influencer in between is in its slot by then,
      // and a marker seen with it lives MARKER_GRACE_MS longer than the move (no double count either). One
      // command: $unionWith reads the slots after the holders (on the embedded database both in one statement,
      // so one snapshot), one round trip instead of two on the summary's path.
      // Held moves are grouped by delta (and slot) in the database: after a burst hundreds of influencers hold
      // moves while the worker folds, and a document each made this read 3× slower (the summary's tail, issue
      // 24); a group is a few rows carrying only the moves' ids, which the markers need.
      const rows = await influencers()
        .aggregate([
          { $match: { 'pendingCounts.c': campaignId } },
          { $unwind: '$pendingCounts' },
          { $match: { 'pendingCounts.c': campaignId } },
          { $group: { _id: { d: '$pendingCounts.d', s: '$pendingCounts.s' }, ts: { $push: '$pendingCounts.t' } } },
          { $unionWith: { coll: slots.collectionName, pipeline: [{ $match: { campaignId } }] } },
        ])
        .toArray();
      // Slot documents carry their campaign; the groups carry their delta and the ids of its moves.
      const docs = rows.filter((r) => r.campaignId !== undefined);
      const groups = rows.filter((r) => r.campaignId === undefined) as unknown as HeldGroup[];
      const counts = zeroCounts();
      const folded = new Set<string>();
      for (const d of docs) {
        for (const f of COUNTER_FIELDS) counts[f] += Number(d[f] ?? 0);
        for (const t of Object.keys((d.applied as Record<string, Date> | undefined) ?? {})) folded.add(t);
      }
      let unfolded = 0;
      for (const g of groups) {
        const n = g.ts.filter((t) => !folded.has(t)).length;
        unfolded += n;
        for (const [f, v] of Object.entries(g._id.d ?? {}) as [keyof CounterDelta, number][]) counts[f] += v * n;
      }
      return { counts, unfolded };
    },

    /**
     * Folds the campaign's moves older than `olderThanMs` (their writers gave up on them or died) and clears
     * markers whose influencers no longer hold their moves. Returns how many moves it folded.
     */
    async sweep(campaignId: string, olderThanMs = SWEEP_AFTER_MS): Promise<number> {
      const cutoff = Date.now() - olderThanMs;
      // Markers first, holders second: a marker seen here whose move is gone below was dropped for good.
      const docs = await slots.find({ campaignId } as never).toArray();
      const holders = await influencers()
        .find({ 'pendingCounts.c': campaignId } as never, { projection: { pendingCounts: 1 } })
        .toArray();
      const held = new Set<string>();
      const old: CounterTransfer[] = [];
      for (const h of holders) {
        for (const t of (h.pendingCounts ?? []) as PendingCount[]) {
          held.add(t.t);
          if (t.c === campaignId && new Date(t.at).getTime() < cutoff) old.push({ ...t, influencerId: String(h._id) });
        }
      }
      await fold(old, true);
      for (const d of docs) {
        const stale = Object.entries((d.applied as Record<string, Date> | undefined) ?? {})
          .filter(([t, at]) => !held.has(t) && new Date(at).getTime() < cutoff)
          .map(([t]) => `applied.${t}`);
        if (stale.length)
          await slots.updateOne({ _id: d._id }, { $unset: Object.fromEntries(stale.map((k) => [k, ''])) });
      }
      return old.length;
    },

    /** Adds a correction found by the recount. */
    async correct(campaignId: string, delta: CounterDelta): Promise<void> {
      if (Object.keys(delta).length === 0) return;
      await ensureSlot(slotId(campaignId, 0), campaignId);
      await slots.updateOne({ _id: slotId(campaignId, 0) } as never, { $inc: delta });
    },

    async ensureIndexes(): Promise<void> {
      await Counter.createCollection().catch(ignoreExists);
      await Counter.syncIndexes();
    },
  };
}
export type StageCounters = ReturnType<typeof stageCounters>;
