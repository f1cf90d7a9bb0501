import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { deriveStatus, type Status } from '@seedline/domain';
import { deltaBetween, sameKey, type CountKey, type PendingCount } from '../counters/stage-counter.schema.js';
import type { CounterTransfer, StageCounters } from '../counters/stage-counters.js';
import type { EventDoc } from '../events/event.schema.js';
import type { EventRepository } from '../events/event.repository.js';
import { byId } from './influencer.defaults.js';
import { influencerModel, type InfluencerDoc } from './influencer.schema.js';

export interface StatusChange {
  influencerId: string;
  campaignId: string;
  from: Status;
  to: Status;
  at: Date;
  instagramHandle: string | null;
  /** what moved it (`status model (click)`, `recount`, …): the brand webhook's `source` */
  source?: string;
}

/**
 * The `source` of a move made by the status model: its status entry's and its webhook's. A job that runs again
 * finds the moves it made by this text (the worker's re-announcing), so both sides build it here.
 */
export function statusSourceOf(cause?: string): string {
  return cause ? `status model (${cause})` : 'status model';
}

interface Plan {
  doc: InfluencerDoc;
  casBy: string;
  filter: Record<string, unknown>;
  update: Record<string, unknown>;
  change: StatusChange | null;
  statusEvent: EventDoc | null;
  transfer: CounterTransfer | null;
}

const ATTEMPTS = 8;

/**
 * Raises influencers' statuses to what their facts imply, with a compare-and-set on the document's `rev`
 * (updates are atomic per document; there are no locks). The same compare-and-set records what the
 * influencer now counts as in its campaign's stage counters and, when that changed, the counter move: a
 * move exists only if the compare-and-set that made it won, so a redelivered, repeated or rebuilt event
 * never moves the counters twice. Moves are then folded into the counter slots (StageCounters).
 */
export function statusWriter(conn: Connection, events: EventRepository, counters: StageCounters) {
  const collection = influencerModel(conn).collection;
  const writer = randomBytes(6).toString('hex');
  let seq = 0;

  /** `force`: a plan (a compare-and-set raising `rev`) even when nothing moves, for a caller's own update. */
  function plan(doc: InfluencerDoc, cause: string | undefined, force = false): Plan | null {
    const derived = deriveStatus(doc);
    const rises = derived.rank > doc.statusRank;
    // A status never moves backwards: a stored rank above the facts' (a hand edit) stays.
    const moves =
      rises ||
      (derived.rank === doc.statusRank &&
        !(
          sameTime(doc.purchasedAt, derived.purchasedAt) &&
          sameTime(doc.doneAt, derived.doneAt) &&
          sameTime(doc.followedUpAt, derived.followedUpAt)
        ));
    const status = moves ? derived.status : doc.status;
    const counted: CountKey | null = doc.listed ? { stage: status, purchased: doc.purchased === true } : null;
    const recount = !sameKey(counted, doc.counted);
    if (!moves && !recount && !force) return null;
    const rev = (doc.rev ?? 0) + 1;
    const casBy = `${writer}${(seq++).toString(36)}`;
    const set: Record<string, unknown> = { rev, casBy, counted };
    if (moves)
      Object.assign(set, {
        status,
        statusRank: derived.rank,
        purchasedAt: derived.purchasedAt,
        doneAt: derived.doneAt,
        followedUpAt: derived.followedUpAt,
      });
    let transfer: CounterTransfer | null = null;
    const update: Record<string, unknown> = { $set: set };
    if (recount) {
      const move: PendingCount = {
        t: `${doc._id}-${rev}-${casBy}`,
        c: doc.campaignId,
        s: counters.slotFor(doc.campaignId),
        d: deltaBetween(doc.counted ?? null, counted),
        at: new Date(),
      };
      transfer = { ...move, influencerId: doc._id };
      update.$push = { pendingCounts: move };
    }
    const changeAt = derived.followedUpAt ?? derived.doneAt ?? derived.purchasedAt ?? doc.signedUpAt ?? new Date();
    return {
      doc,
      casBy,
      filter: { _id: doc._id, rev: doc.rev ?? { $exists: false } },
      update,
      transfer,
      change: rises
        ? {
            influencerId: doc._id,
            campaignId: doc.campaignId,
            from: doc.status,
            to: derived.status,
            at: changeAt,
            instagramHandle: doc.instagramHandle,
            source: statusSourceOf(cause),
          }
        : null,
      statusEvent: rises
        ? {
            _id: `status-${doc._id}-${derived.status}`,
            campaignId: doc.campaignId,
            influencerId: doc._id,
            type: 'status_change',
            at: changeAt,
            detail: `status ${doc.status} → ${derived.status}`,
            source: statusSourceOf(cause),
            counter: null,
            data: { from: doc.status, to: derived.status },
          }
        : null,
    };
  }

  /** Whether a plan's compare-and-set is the one that won, judged from the document read after it. */
  function won(p: Plan, after: InfluencerDoc | undefined): boolean {
    if (!after) return false;
    // Only this writer drops its own move (after this returns), so the move is there iff the write won.
    if (p.transfer) return (after.pendingCounts ?? []).some((t) => t.t === p.transfer?.t);
    return after.casBy === p.casBy;
  }

  async function readAll(ids: string[]): Promise<InfluencerDoc[]> {
    // One reply for all (no getMore round trip).
    return (await collection
      .find({ _id: { $in: ids } } as never, { batchSize: ids.length + 1 })
      .toArray()) as unknown as InfluencerDoc[];
  }

  /**
   * Sends plans' compare-and-sets as one bulk and returns the plans that won. The entry first (its id is fixed),
   * then the status: a crash between them leaves no duplicate entry. One order for every bulk (see applyClicks):
   * concurrent bulks over the same rows cannot deadlock.
   */
  async function casAll(
    plans: { p: Plan; update: Record<string, unknown> }[],
    first: EventDoc[] = [],
  ): Promise<Plan[] | null> {
    plans.sort((a, b) => byId(a.p.doc, b.p.doc));
    const entries = plans.flatMap(({ p }) => (p.statusEvent ? [p.statusEvent] : []));
    // The caller's own entries ahead of the status entries, in one ordered insert: one of them recorded before
    // stops it there, and then nothing is written (null: the caller looks at what was recorded).
    if (first.length) {
      if ((await events.insertInOrder([...first, ...entries])) < first.length) return null;
    } else if (entries.length) await events.insertNew(entries);
    const res = await collection.bulkWrite(
      plans.map(({ p, update }) => ({ updateOne: { filter: p.filter, update } })),
      { ordered: false },
    );
    const all = plans.map(({ p }) => p);
    if (res.matchedCount === plans.length) return all;
    const after = new Map((await readAll(all.map((p) => p.doc._id))).map((d) => [d._id, d]));
    return all.filter((p) => won(p, after.get(p.doc._id)));
  }

  return {
    /**
     * A document about to be inserted whole, given its derived part, what it counts as and its counter move,
     * as the compare-and-set would write them; its insert is that compare-and-set (only one insert of an `_id`
     * can succeed). Hand the transfers of the inserts that succeeded to `fold`.
     */
    prepared(doc: InfluencerDoc): { doc: InfluencerDoc; transfer: CounterTransfer | null } {
      const p = plan(doc, undefined);
      if (!p) return { doc, transfer: null };
      const set = (p.update as { $set: Partial<InfluencerDoc> }).$set;
      return {
        doc: { ...doc, ...set, ...(p.transfer ? { pendingCounts: [pendingOf(p.transfer)] } : {}) },
        transfer: p.transfer,
      };
    },
    fold: (transfers: CounterTransfer[]) => counters.fold(transfers),
    readAll,
    /**
     * A caller's own update and the status it leads to, in one write per influencer. `merged` is the document
     * as `update` will leave it, computed from a document just read: when its status or counts move, the move
     * joins `update` under the compare-and-set on the read's `rev`. Writes of facts that do not raise `rev`
     * may land in between; each such writer reconciles after its own write, and its compare-and-set then
     * loses to this one and reads again, so someone always sees every fact. Returns, besides what it settled,
     * the ids it wrote nothing for: no move (`update` is the caller's to send, then reconcile) or `rev`
     * changed in between (the same). An item's `filter` is the caller's own condition, added to the `rev` one.
     * `first`: entries of the caller's inserted ahead of the status entries; `firstStored` is false when one of
     * them was there already, and then nothing was written.
     */
    async writeWith(
      items: {
        merged: InfluencerDoc;
        update: Record<string, Record<string, unknown>>;
        cause?: string;
        filter?: Record<string, unknown>;
        /**
         * written under the compare-and-set even with no move: when it wins, no writer changed the document
         * since the read, so `merged` is what is stored and no reconcile is needed (clicks: issue 24)
         */
        force?: boolean;
      }[],
      first: EventDoc[] = [],
    ): Promise<{ changes: StatusChange[]; settled: InfluencerDoc[]; unwritten: string[]; firstStored: boolean }> {
      const plans: { p: Plan; update: Record<string, unknown> }[] = [];
      const unwritten: string[] = [];
      for (const item of items) {
        const p = plan(item.merged, item.cause, item.force);
        if (!p) unwritten.push(item.merged._id);
        else {
          if (item.filter) p.filter = { ...item.filter, ...p.filter };
          plans.push({ p, update: joined(item.update, p.update as Record<string, Record<string, unknown>>) });
        }
      }
      const changes: StatusChange[] = [];
      const settled: InfluencerDoc[] = [];
      if (plans.length === 0) return { changes, settled, unwritten, firstStored: false };
      const winners = await casAll(plans, first);
      if (!winners) return { changes, settled, unwritten: items.map((i) => i.merged._id), firstStored: false };
      const wonIds = new Set(winners.map((p) => p.doc._id));
      for (const { p } of plans) if (!wonIds.has(p.doc._id)) unwritten.push(p.doc._id);
      for (const p of winners) {
        settled.push(p.doc);
        if (p.change) changes.push(p.change);
      }
      await counters.fold(winners.flatMap((p) => (p.transfer ? [p.transfer] : [])));
      return { changes, settled, unwritten, firstStored: true };
    },
    /**
     * Reconciles the given influencers: one read, one write of status entries, one bulk of compare-and-sets
     * (and again only for those another writer changed in between). `docs` may hold documents read just
     * after this caller's own write, which spares the first read.
     */
    async reconcile(
      ids: string[],
      causes: (id: string) => string | undefined,
      docs?: InfluencerDoc[],
    ): Promise<{ changes: StatusChange[]; settled: InfluencerDoc[] }> {
      const changes: StatusChange[] = [];
      const transfers: CounterTransfer[] = [];
      const settled: InfluencerDoc[] = [];
      let todo = [...new Set(ids)];
      let given = docs;
      for (let attempt = 0; todo.length > 0; attempt++) {
        if (attempt >= ATTEMPTS)
          throw new Error(`status of ${todo.length} influencer(s) kept changing under concurrent writers`);
        const read = given ?? (await readAll(todo));
        given = undefined;
        const plans: Plan[] = [];
        for (const doc of read) {
          const p = plan(doc, causes(doc._id));
          if (p) plans.push(p);
          else settled.push(doc);
        }
        if (plans.length === 0) break;
        const winners = (await casAll(plans.map((p) => ({ p, update: p.update })))) ?? [];
        const lost = new Set(plans.map((p) => p.doc._id));
        for (const p of winners) {
          lost.delete(p.doc._id);
          settled.push(p.doc);
          if (p.change) changes.push(p.change);
          if (p.transfer) transfers.push(p.transfer);
        }
        todo = [...lost];
      }
      await counters.fold(transfers);
      return { changes, settled };
    },
  };
}
export type StatusWriter = ReturnType<typeof statusWriter>;

/** Two updates as one: their operators' fields side by side (the callers never name a field twice). */
function joined(
  a: Record<string, Record<string, unknown>>,
  b: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const out = { ...a };
  for (const [op, fields] of Object.entries(b)) out[op] = { ...out[op], ...fields };
  return out;
}

function pendingOf({ influencerId: _, ...move }: CounterTransfer): PendingCount {
  return move;
}

function sameTime(a: Date | null | undefined, b: Date | null | undefined): boolean {
  return (a ? new Date(a).getTime() : null) === (b ? b.getTime() : null);
}
