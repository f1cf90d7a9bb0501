import type { Connection } from 'mongoose';
import { asinOfProductUrl, groupBy, type ReimbursementState, type ReturnRow } from '@seedline/domain';
import type { CampaignDoc } from '../campaigns/campaign.schema.js';
import { ignoreExists, isDuplicateKey } from '../mongo-errors.js';
import { reimbursementModel, type ReimbursementDoc } from '../reimbursements/reimbursement.schema.js';
import type { ReimbursementRepository } from '../reimbursements/reimbursement.repository.js';
import type { BlockedInfluencerRepository } from './blocked-influencer.repository.js';
import { returnRecordModel, type ReturnRecordDoc } from './return-record.schema.js';

export interface ReturnsOutcome {
  rows: number;
  /** rows whose order number is a proof of one of the brand's influencers */
  matched: number;
  unmatched: number;
  /** reimbursements moved to `returned` by this upload (before payment: cancelled; after: credited) */
  returned: {
    reimbursementId: string;
    campaignId: string;
    instagramHandle: string | null;
    orderId: string;
    from: ReimbursementState;
  }[];
  /** matched reimbursements whose payout is being sent: returned once it settles */
  pending: number;
  /** handles of the matched influencers: blocked for the brand (now, or already) */
  blocked: string[];
}

/** States a return moves to `returned` from (rejected and returned stay; `sending` waits). */
const RETURNABLE: ReimbursementState[] = ['awaiting_proof', 'pending_review', 'held', 'approved', 'failed', 'paid'];

/**
 * Applies an Amazon returns report to a brand: rows are matched by the order number of the proof of purchase,
 * only among the brand's own reimbursements (another brand's order numbers are unmatched). Every step is
 * idempotent (a compare-and-set move, plain inserts), so uploading a report again changes nothing.
 */
export function returnsRepository(
  conn: Connection,
  reimbursements: ReimbursementRepository,
  blocked: BlockedInfluencerRepository,
) {
  const Reimbursement = reimbursementModel(conn);
  const Return = returnRecordModel(conn);
  const campaigns = conn.collection<CampaignDoc>('campaigns');

  /** The product ASIN of each campaign (null when its product URL names none). */
  async function productAsins(campaignIds: string[]): Promise<Map<string, string | null>> {
    if (campaignIds.length === 0) return new Map();
    const found = await campaigns
      .find({ _id: { $in: campaignIds } } as never, { projection: { productUrl: 1 } })
      .toArray();
    return new Map(found.map((c) => [String(c._id), asinOfProductUrl(c.productUrl)]));
  }

  async function matches(brandId: string, orderIds: string[]): Promise<ReimbursementDoc[]> {
    const out: ReimbursementDoc[] = [];
    for (let i = 0; i < orderIds.length; i += 500) {
      const chunk = orderIds.slice(i, i + 500);
      out.push(
        ...(await Reimbursement.find({ brandId, 'proof.orderId': { $in: chunk } })
          .lean<ReimbursementDoc[]>()
          .exec()),
      );
    }
    return out;
  }

  /** Moves a matched reimbursement to `returned` if it can; `pending` while its payout is being sent. */
  async function settle(
    id: string,
    orderId: string,
  ): Promise<{ moved: ReimbursementState | null; state: ReturnRecordDoc['state'] }> {
    const out = await reimbursements.transition(id, {
      from: RETURNABLE,
      to: 'returned',
      source: 'amazon returns report',
      reason: 'returned',
      note: `order ${orderId} returned`,
    });
    if (out.ok) return { moved: out.entry.from, state: 'applied' };
    if (out.code === 'not_found') return { moved: null, state: 'unchanged' };
    return { moved: null, state: out.doc.state === 'sending' ? 'pending' : 'unchanged' };
  }

  /** A waiting return, once its payout is no longer being sent: applied, and its record says so. */
  async function applyWaiting(r: ReturnRecordDoc): Promise<boolean> {
    const settled = await settle(r._id, r.orderId);
    if (settled.state === 'pending') return false;
    await Return.updateOne({ _id: r._id, state: 'pending' }, { $set: { state: settled.state } }).exec();
    return settled.moved !== null;
  }

  /** Returns one reimbursement that claimed a returned order: moved (or waiting), recorded, its handle blocked. */
  async function returnOne(
    brandId: string,
    doc: ReimbursementDoc,
    row: ReturnRow & { orderId: string },
    outcome: ReturnsOutcome,
  ) {
    const settled = await settle(doc._id, row.orderId);
    if (settled.moved) {
      outcome.returned.push({
        reimbursementId: doc._id,
        campaignId: doc.campaignId,
        instagramHandle: doc.instagramHandle,
        orderId: row.orderId,
        from: settled.moved,
      });
    }
    if (settled.state === 'pending') outcome.pending++;
    const record: ReturnRecordDoc = {
      _id: doc._id,
      brandId,
      campaignId: doc.campaignId,
      orderId: row.orderId,
      instagramHandle: doc.instagramHandle,
      returnedOn: row.returnedOn,
      state: settled.state,
      at: new Date(),
    };
    try {
      await Return.collection.insertOne(record as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (settled.state !== 'pending')
        await Return.updateOne({ _id: doc._id, state: 'pending' }, { $set: { state: settled.state } }).exec();
    }
    if (doc.instagramHandle) {
      await blocked.block({
        brandId,
        instagramHandle: doc.instagramHandle,
        reimbursementId: doc._id,
        orderId: row.orderId,
        at: new Date(),
      });
      outcome.blocked.push(doc.instagramHandle);
    }
  }

  return {
    async apply(brandId: string, rows: readonly ReturnRow[]): Promise<ReturnsOutcome> {
      const orderIds = [...new Set(rows.map((r) => r.orderId).filter((o): o is string => o !== null))];
      const found = await matches(brandId, orderIds);
      // An order number may be claimed by several reimbursements (a second claim is held as `duplicate_order`):
      // a return of it returns every one of them, the paid one included.
      const byOrder = groupBy(
        found.filter((d) => d.proof),
        (d) => d.proof?.orderId ?? '',
      );
      // A row naming another product of the same order (the influencer returned something else) returns nothing.
      const asinOf = await productAsins([...new Set(found.map((d) => d.campaignId))]);
      const sameProduct = (d: ReimbursementDoc, row: ReturnRow) => {
        const product = asinOf.get(d.campaignId);
        return !row.asin || !product || row.asin.toUpperCase() === product;
      };
      const outcome: ReturnsOutcome = {
        rows: rows.length,
        matched: 0,
        unmatched: 0,
        returned: [],
        pending: 0,
        blocked: [],
      };
      const seen = new Set<string>();
      for (const row of rows) {
        const docs = row.orderId ? byOrder.get(row.orderId)?.filter((d) => sameProduct(d, row)) : undefined;
        if (!docs?.length || !row.orderId) {
          outcome.unmatched++;
          continue;
        }
        outcome.matched++;
        for (const doc of docs) {
          if (seen.has(doc._id)) continue;
          seen.add(doc._id);
          await returnOne(brandId, doc, { ...row, orderId: row.orderId }, outcome);
        }
      }
      return outcome;
    },

    /**
     * Applies the return that waited for this reimbursement's payout, if any: the payouts worker calls it as
     * the payout settles, so the credit lands at once (records are keyed by reimbursement id).
     */
    async settlePendingOf(reimbursementId: string): Promise<boolean> {
      const r = await Return.findOne({ _id: reimbursementId, state: 'pending' }).lean<ReturnRecordDoc>().exec();
      return r ? applyWaiting(r) : false;
    },

    /** Applies returns that waited for a payout being sent, now that it may have settled. */
    async settlePending(brandId: string): Promise<number> {
      const pending = await Return.find({ brandId, state: 'pending' }).lean<ReturnRecordDoc[]>().exec();
      let applied = 0;
      for (const r of pending) if (await applyWaiting(r)) applied++;
      return applied;
    },

    async ensureIndexes(): Promise<void> {
      await Return.createCollection().catch(ignoreExists);
      await Return.syncIndexes();
    },
  };
}
export type ReturnsRepository = ReturnType<typeof returnsRepository>;
