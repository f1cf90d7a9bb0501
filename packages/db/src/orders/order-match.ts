import type { Connection } from 'mongoose';
import { asinOfProductUrl, groupBy, REIMBURSEMENT_REASONS, type OrderRow } from '@seedline/domain';
import type { CampaignDoc } from '../campaigns/campaign.schema.js';
import type { EntryDoc } from '../reimbursements/entry.schema.js';
import type { ReimbursementRepository } from '../reimbursements/reimbursement.repository.js';
import type { OrderLines } from './order-lines.js';
import {
  reimbursementModel,
  type OrderVerifiedDoc,
  type ReimbursementDoc,
} from '../reimbursements/reimbursement.schema.js';

export interface OrdersOutcome {
  rows: number;
  /** proofs whose order is in the report for their campaign's product */
  verified: number;
  /** reimbursements that waited for the match (`order_not_in_report`) and were approved by it */
  approved: number;
  /** approved ones the budget could not take: they wait in pending_review with reason over_budget */
  overBudget: number;
  /** rows that are no proof of the brand's influencers, or not for the campaign's product */
  unmatched: number;
  /** rows left aside: cancelled items, or pending orders without a price yet */
  skipped: number;
}

/** The outcome, and the moves it made: the caller queues their follow-ups (payouts, emails). */
export interface OrdersApplied {
  outcome: OrdersOutcome;
  moves: EntryDoc[];
}

const cancelled = (r: OrderRow) =>
  r.orderStatus.toLowerCase() === 'cancelled' || r.itemStatus.toLowerCase() === 'cancelled';

/**
 * Applies the brand's all-orders report: a proof whose order number is in it, on a line for the campaign's
 * product (the ASIN of its productUrl) that was not cancelled, is marked `orderVerified` with what Amazon
 * charged. A reimbursement that waited for this match (automatic approval with `requireOrderMatch`) is then
 * approved, through the ledger's compare-and-set like any approval. Idempotent: a second upload finds the
 * same marks and nothing left waiting. The report's usable lines are kept (order-lines.ts), so a proof that
 * comes after the upload is matched when it comes (`matchStored`, called by the worker's due reimbursements).
 */
export function orderMatcher(conn: Connection, reimbursements: ReimbursementRepository, lines: OrderLines) {
  const Reimbursement = reimbursementModel(conn);
  const campaigns = conn.collection<CampaignDoc>('campaigns');

  async function match(brandId: string, rows: readonly OrderRow[]): Promise<OrdersApplied> {
    const out: OrdersOutcome = { rows: rows.length, verified: 0, approved: 0, overBudget: 0, unmatched: 0, skipped: 0 };
    const moves: EntryDoc[] = [];
    const usable = rows.filter((r) => !cancelled(r) && r.price !== null);
    out.skipped = rows.length - usable.length;
    const orderIds = [...new Set(usable.map((r) => r.orderId))];
    const docs: ReimbursementDoc[] = [];
    for (let i = 0; i < orderIds.length; i += 500) {
      const chunk = orderIds.slice(i, i + 500);
      docs.push(
        ...(await Reimbursement.find({ brandId, 'proof.orderId': { $in: chunk } })
          .lean<ReimbursementDoc[]>()
          .exec()),
      );
    }
    const campaignIds = [...new Set(docs.map((d) => d.campaignId))];
    const found = campaignIds.length
      ? await campaigns
          .find({ _id: { $in: campaignIds } } as never, { projection: { productUrl: 1, reimbursement: 1 } })
          .toArray()
      : [];
    const campaignOf = new Map(found.map((c) => [String(c._id), c]));
    const byOrder = groupBy(
      docs.filter((d) => d.proof),
      (d) => d.proof?.orderId ?? '',
    );

    const done = new Set<string>();
    for (const row of usable) {
      const doc = (byOrder.get(row.orderId) ?? []).find((d) => {
        const campaign = campaignOf.get(d.campaignId);
        return campaign !== undefined && asinOfProductUrl(campaign.productUrl) === row.asin.toUpperCase();
      });
      if (!doc || !row.price) {
        out.unmatched++;
        continue;
      }
      if (done.has(doc._id)) continue;
      done.add(doc._id);
      out.verified++;
      const verified: OrderVerifiedDoc = {
        orderId: row.orderId,
        asin: row.asin.toUpperCase(),
        quantity: row.quantity,
        price: row.price.minor,
        currency: row.price.currency,
        purchasedOn: row.purchasedOn,
        at: new Date(),
      };
      // Only for the proof it was matched to: a later proof with another order number is not verified by it.
      await Reimbursement.updateOne(
        { _id: doc._id, 'proof.orderId': row.orderId, orderVerified: { $in: [null] } },
        { $set: { orderVerified: verified } },
      ).exec();
      const settings = campaignOf.get(doc.campaignId)?.reimbursement;
      if (
        doc.state !== 'pending_review' ||
        doc.reason !== REIMBURSEMENT_REASONS.awaitingOrderMatch ||
        settings?.approval !== 'auto'
      )
        continue;
      const moved = await reimbursements.transition(doc._id, {
        from: ['pending_review'],
        to: 'approved',
        source: 'amazon orders report',
        note: `order ${row.orderId} found in the orders report`,
      });
      if (moved.ok) {
        out.approved++;
        moves.push(moved.entry);
      } else if (moved.code === 'over_budget') {
        out.overBudget++;
        const waits = await reimbursements.transition(doc._id, {
          from: ['pending_review'],
          to: 'pending_review',
          source: 'amazon orders report',
          reason: REIMBURSEMENT_REASONS.overBudget,
        });
        if (waits.ok) moves.push(waits.entry);
      }
    }
    return { outcome: out, moves };
  }

  return {
    /** An uploaded report: its lines are kept for proofs still to come, then matched to the proofs there are. */
    async apply(brandId: string, rows: readonly OrderRow[]): Promise<OrdersApplied> {
      await lines.store(
        brandId,
        rows.filter((r) => !cancelled(r) && r.price !== null),
      );
      return match(brandId, rows);
    },
    /** A proof that arrived after the report holding its order: matched to the lines kept from that upload. */
    async matchStored(brandId: string, orderIds: readonly string[]): Promise<EntryDoc[]> {
      return (await match(brandId, await lines.find(brandId, orderIds))).moves;
    },
  };
}
export type OrderMatcher = ReturnType<typeof orderMatcher>;
