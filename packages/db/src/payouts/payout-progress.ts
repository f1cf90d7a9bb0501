import type { Connection } from 'mongoose';
import { reimbursementModel, type ReimbursementDoc } from '../reimbursements/reimbursement.schema.js';

export interface PayoutProgress {
  batchId?: string;
  itemId?: string;
  status?: string;
}

/**
 * The payouts processor's own writes and reads on reimbursements. State moves go through the reimbursements'
 * compare-and-set (`transition`); what the provider says about the attempt in flight is recorded here, on the
 * `payout` field only, and only while that attempt is the one in flight: a late answer about an older attempt,
 * or about a reimbursement settled meanwhile, changes nothing.
 */
export function payoutRepository(conn: Connection) {
  const Reimbursement = reimbursementModel(conn);
  const col = Reimbursement.collection;
  /** Ids (and brands) of the reimbursements the filter finds, by id: one keyset page. */
  const idsPage = (filter: Record<string, unknown>, limit: number) =>
    Reimbursement.find(filter, { _id: 1, brandId: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Pick<ReimbursementDoc, '_id' | 'brandId'>[]>()
      .exec();
  return {
    async recordProgress(id: string, attempt: number, progress: PayoutProgress): Promise<boolean> {
      const set: Record<string, unknown> = { 'payout.checkedAt': new Date() };
      for (const [k, v] of Object.entries(progress)) if (v !== undefined) set[`payout.${k}`] = v;
      const res = await col.updateOne({ _id: id as never, state: 'sending', 'payout.attempt': attempt }, { $set: set });
      return res.matchedCount === 1;
    },
    /** A paid attempt looked up again (the reversal watch): when, so that the next look waits its turn. */
    async recordWatched(id: string, attempt: number): Promise<void> {
      await col.updateOne(
        { _id: id as never, state: 'paid', 'payout.attempt': attempt },
        { $set: { 'payout.checkedAt': new Date() } },
      );
    },
    /**
     * Reimbursements paid through the provider since `paidAfter` and not looked up since `checkedBefore`, by id:
     * the provider may still take such a payout back (PayPal: REVERSED, REFUNDED).
     */
    async listPaidToWatch(o: {
      paidAfter: Date;
      checkedBefore: Date;
      after?: string;
      limit: number;
    }): Promise<Pick<ReimbursementDoc, '_id' | 'brandId'>[]> {
      const filter: Record<string, unknown> = {
        state: 'paid',
        'payout.provider': 'paypal',
        'payout.final': true,
        updatedAt: { $gte: o.paidAfter },
        $or: [{ 'payout.checkedAt': { $lt: o.checkedBefore } }, { 'payout.checkedAt': { $exists: false } }],
      };
      if (o.after) filter._id = { $gt: o.after };
      return idsPage(filter, o.limit);
    },
    /** Reimbursements in a state, across campaigns, by id (keyset pages on the `{state, _id}` index). */
    async listInState(
      state: 'approved' | 'sending',
      o: { after?: string; limit: number },
    ): Promise<Pick<ReimbursementDoc, '_id' | 'brandId'>[]> {
      const filter: Record<string, unknown> = { state };
      if (o.after) filter._id = { $gt: o.after };
      return idsPage(filter, o.limit);
    },
  };
}
export type PayoutRepository = ReturnType<typeof payoutRepository>;
