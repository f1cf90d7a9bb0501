import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../mongo-errors.js';
import { budgetModel, type BudgetDoc } from './budget.schema.js';

export type Reservation = { ok: true } | { ok: false; budgetLeft: number };

const ATTEMPTS = 50;

/**
 * The budget protocol (no transactions): `committed` is raised by ONE conditional update whose filter holds
 * the budget read and `committed ≤ budget − amount`, so concurrent approvals from any number of processes
 * can never take it past the budget; a budget changed in between makes the filter miss and the reservation
 * is tried again on a fresh read. Releases are plain decrements. The reimbursement's own compare-and-set
 * follows a reservation and, if it loses, gives the reservation back; a crash between the two leaves the
 * commitment too high (never too low), which the recount finds.
 */
export function budgets(conn: Connection) {
  const Budget = budgetModel(conn);
  const col = Budget.collection;
  const read = (campaignId: string) => Budget.findById(campaignId).lean<BudgetDoc>().exec();

  return {
    read,
    /** Creates the document or sets the limit of an existing one (the commitment is never touched here). */
    async configure(campaignId: string, currency: string, budget: number | null): Promise<void> {
      const now = new Date();
      try {
        await col.insertOne({ _id: campaignId, currency, budget, committed: 0, updatedAt: now } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await col.updateOne({ _id: campaignId as never }, { $set: { currency, budget, updatedAt: now } });
      }
    },
    async reserve(campaignId: string, amount: number): Promise<Reservation> {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const doc = await read(campaignId);
        if (!doc) return { ok: false, budgetLeft: 0 };
        if (doc.budget !== null && doc.committed + amount > doc.budget) {
          return { ok: false, budgetLeft: Math.max(0, doc.budget - doc.committed) };
        }
        const filter: Record<string, unknown> = { _id: campaignId, budget: doc.budget };
        if (doc.budget !== null) filter.committed = { $lte: doc.budget - amount };
        const res = await col.updateOne(filter, { $inc: { committed: amount } });
        if (res.modifiedCount === 1) return { ok: true };
      }
      throw new Error(`budget of campaign ${campaignId}: reservation kept missing (budget changing too often)`);
    },
    async release(campaignId: string, amount: number): Promise<void> {
      if (amount === 0) return;
      await col.updateOne({ _id: campaignId as never }, { $inc: { committed: -amount } });
    },
    /** What may still be approved (null: no limit). */
    async left(campaignId: string): Promise<number | null> {
      const doc = await read(campaignId);
      if (!doc || doc.budget === null) return null;
      return Math.max(0, doc.budget - doc.committed);
    },
    /** For the recount's repair only: sets the commitment to what the documents say. */
    async setCommitted(campaignId: string, committed: number): Promise<void> {
      await col.updateOne({ _id: campaignId as never }, { $set: { committed, updatedAt: new Date() } });
    },
  };
}
export type Budgets = ReturnType<typeof budgets>;
