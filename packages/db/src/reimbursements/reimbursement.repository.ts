import type { Connection } from 'mongoose';
import { OPEN_STATES, type ReimbursementState } from '@seedline/domain';
import type { EventRepository } from '../events/event.repository.js';
import { ignoreExists } from '../mongo-errors.js';
import { budgetModel, orderClaimModel } from './budget.schema.js';
import { budgets } from './budget.js';
import { entryModel, type EntryDoc } from './entry.schema.js';
import { evaluator } from './evaluate.js';
import { proofs } from './proof.js';
import { reimbursementModel, type ReimbursementDoc } from './reimbursement.schema.js';
import { transitions, type MoveListener } from './transition.js';

export type ReimbursementBrief = Pick<ReimbursementDoc, 'state' | 'amount' | 'currency' | 'reason'>;

export interface StateTotals {
  count: number;
  /** minor units */
  amount: number;
}

/**
 * Every query on reimbursements, their ledger, budgets and order claims. Writers: `transition` (the only
 * way a state changes), `proofs.record`, `evaluate`; see each for its concurrency argument.
 */
export function reimbursementRepository(conn: Connection, events: EventRepository, onMove?: MoveListener) {
  const Reimbursement = reimbursementModel(conn);
  const Entry = entryModel(conn);
  const budget = budgets(conn);
  const moves = transitions(conn, events, budget, onMove);
  const proof = proofs(conn, moves);

  return {
    budget,
    proofs: proof,
    findById: moves.findById,
    /** The one way to move a reimbursement: compare-and-set with its ledger entry (see transition.ts). */
    transition: moves.transition,
    /** Copies a move's entry to the ledger and the timeline (idempotent; for the recount). */
    transitionRecord: moves.record,
    evaluate: evaluator(moves, proof),
    /** A reimbursement of one of the brand's campaigns, or null (another brand's is indistinguishable). */
    async findForCampaign(campaignId: string, id: string): Promise<ReimbursementDoc | null> {
      return Reimbursement.findOne({ _id: id, campaignId }).lean<ReimbursementDoc>().exec();
    },
    async findMany(ids: string[]): Promise<Map<string, ReimbursementDoc>> {
      if (ids.length === 0) return new Map();
      const docs = await Reimbursement.find({ _id: { $in: ids } })
        .lean<ReimbursementDoc[]>()
        .exec();
      return new Map(docs.map((d) => [d._id, d]));
    },
    /** State and amount of a campaign's reimbursements (of the given influencers, or all), by influencer id. */
    async briefs(campaignId: string, influencerIds?: string[]): Promise<Map<string, ReimbursementBrief>> {
      if (influencerIds?.length === 0) return new Map();
      const filter: Record<string, unknown> = { campaignId };
      if (influencerIds) filter._id = { $in: influencerIds };
      const docs = await Reimbursement.find(filter, { state: 1, amount: 1, currency: 1, reason: 1 })
        .lean<(ReimbursementBrief & { _id: string })[]>()
        .exec();
      return new Map(docs.map((d) => [d._id, d]));
    },
    /**
     * Of the given influencers (with the moment of a human purchase click each), those whose reimbursement is
     * still open and was priced at a later moment: the click was applied after the proof was priced.
     */
    async pricedAfter(clicks: Map<string, Date>): Promise<string[]> {
      if (clicks.size === 0) return [];
      const docs = await Reimbursement.find(
        { _id: { $in: [...clicks.keys()] }, state: { $in: OPEN_STATES }, breakdown: { $ne: null } },
        { breakdown: 1 },
      )
        .lean<Pick<ReimbursementDoc, '_id' | 'breakdown'>[]>()
        .exec();
      return docs
        .filter((d) => {
          const click = clicks.get(d._id);
          return click !== undefined && d.breakdown !== null && click < new Date(d.breakdown.priceAt);
        })
        .map((d) => d._id);
    },
    /** A keyset page by id (the order bulk approval goes in). */
    async page(
      campaignId: string,
      o: { state?: ReimbursementState; after?: string; limit: number },
    ): Promise<ReimbursementDoc[]> {
      const filter: Record<string, unknown> = { campaignId };
      if (o.state) filter.state = o.state;
      if (o.after) filter._id = { $gt: o.after };
      return Reimbursement.find(filter).sort({ _id: 1 }).limit(o.limit).lean<ReimbursementDoc[]>().exec();
    },
    /** Approved reimbursements across campaigns, by id: what the payouts processor and sweep work through. */
    async listApproved(o: { after?: string; limit: number; campaignId?: string }): Promise<ReimbursementDoc[]> {
      const filter: Record<string, unknown> = { state: 'approved' };
      if (o.campaignId) filter.campaignId = o.campaignId;
      if (o.after) filter._id = { $gt: o.after };
      return Reimbursement.find(filter).sort({ _id: 1 }).limit(o.limit).lean<ReimbursementDoc[]>().exec();
    },
    /** Count and amount per state of a campaign (one `$group`). */
    async totals(campaignId: string): Promise<Map<ReimbursementState, StateTotals>> {
      const groups = await Reimbursement.collection
        .aggregate<{ _id: ReimbursementState; count: number; amount: number }>([
          { $match: { campaignId } },
          { $group: { _id: '$state', count: { $sum: 1 }, amount: { $sum: '$amount' } } },
        ])
        .toArray();
      return new Map(groups.map((g) => [g._id, { count: g.count, amount: g.amount ?? 0 }]));
    },
    /** Ledger entries of a reimbursement, oldest first. */
    async entries(reimbursementId: string): Promise<EntryDoc[]> {
      return Entry.find({ reimbursementId }).sort({ rev: 1 }).lean<EntryDoc[]>().exec();
    },
    async entryById(id: string): Promise<EntryDoc | null> {
      return Entry.findById(id).lean<EntryDoc>().exec();
    },
    /**
     * Moves of the last `withinMs` whose ledger copy their mover left undone (killed between its compare-and-set
     * and the copy), copied now and so announced: their emails join the notice sweep's outbox, not the hourly
     * recount's. Moves younger than `settleMs` are their movers' to copy.
     */
    async copyUnrecorded(withinMs: number, settleMs = 30_000): Promise<number> {
      const now = Date.now();
      const recent = await Reimbursement.find(
        { updatedAt: { $gte: new Date(now - withinMs), $lt: new Date(now - settleMs) } },
        { pendingEntry: 1 },
      )
        .lean<Pick<ReimbursementDoc, '_id' | 'pendingEntry'>[]>()
        .exec();
      const held = recent.flatMap((d) => (d.pendingEntry ? [d.pendingEntry] : []));
      if (held.length === 0) return 0;
      const copied = new Set(
        (
          await Entry.find({ _id: { $in: held.map((e) => e._id) } }, { _id: 1 })
            .lean<{ _id: string }[]>()
            .exec()
        ).map((e) => e._id),
      );
      const missing = held.filter((e) => !copied.has(e._id));
      for (const e of missing) await moves.record(e);
      return missing.length;
    },
    /**
     * Fills the handle of reimbursements made before their influencer's sign-up was applied (the proof's job ran
     * first, under load: the list showed a row without a handle for good). Only a null handle is written.
     */
    async fillHandles(signups: readonly { influencerId: string; instagramHandle: string }[]): Promise<void> {
      if (signups.length === 0) return;
      await Reimbursement.collection.bulkWrite(
        signups.map((s) => ({
          updateOne: {
            filter: { _id: s.influencerId as never, instagramHandle: null },
            update: { $set: { instagramHandle: s.instagramHandle } },
          },
        })),
        { ordered: false },
      );
    },
    /** Entries whose email is still owed (the notice sweep's outbox). */
    async pendingNotices(limit: number): Promise<EntryDoc[]> {
      return Entry.find({ notice: 'pending' }).limit(limit).lean<EntryDoc[]>().exec();
    },
    async markNotice(entryId: string, outcome: 'sent' | 'failed'): Promise<void> {
      await Entry.collection.updateOne({ _id: entryId as never, notice: 'pending' }, { $set: { notice: outcome } });
    },
    async ensureIndexes(): Promise<void> {
      for (const model of [Reimbursement, Entry, budgetModel(conn), orderClaimModel(conn)]) {
        await model.createCollection().catch(ignoreExists);
        await model.syncIndexes();
      }
    },
  };
}
export type ReimbursementRepository = ReturnType<typeof reimbursementRepository>;
