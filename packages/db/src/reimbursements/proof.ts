import type { Connection } from 'mongoose';
import { OPEN_STATES, type ReimbursementSettings } from '@seedline/domain';
import { isDuplicateKey } from '../mongo-errors.js';
import { orderClaimModel, type OrderClaimDoc } from './budget.schema.js';
import { reimbursementModel, type ProofDoc, type ReimbursementDoc } from './reimbursement.schema.js';
import type { transitions } from './transition.js';

export interface ReimbursementOwner {
  influencerId: string;
  campaignId: string;
  brandId: string;
  instagramHandle: string | null;
  settings: ReimbursementSettings;
}

/** Proofs, order claims and the creation of reimbursement documents. */
export function proofs(conn: Connection, moves: ReturnType<typeof transitions>) {
  const col = reimbursementModel(conn).collection;
  const claims = orderClaimModel(conn).collection;

  return {
    /**
     * The reimbursement of an influencer, created `awaiting_proof` if it does not exist yet (a plain insert
     * of a fixed `_id`: racing creators meet on the duplicate key, never on an upsert).
     */
    async ensure(owner: ReimbursementOwner): Promise<ReimbursementDoc> {
      const existing = await moves.findById(owner.influencerId);
      if (existing) return existing;
      const now = new Date();
      const doc: ReimbursementDoc = {
        _id: owner.influencerId,
        campaignId: owner.campaignId,
        brandId: owner.brandId,
        influencerId: owner.influencerId,
        instagramHandle: owner.instagramHandle,
        currency: owner.settings.currency,
        state: 'awaiting_proof',
        reason: null,
        rev: 0,
        amount: null,
        breakdown: null,
        proof: null,
        pendingEntry: null,
        paymentReference: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await col.insertOne(doc as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return (await moves.findById(owner.influencerId)) ?? doc;
      }
      return doc;
    },

    /**
     * Claims an order number for a reimbursement: a plain insert on the order number as `_id`, so exactly one
     * reimbursement ever owns it. True when this one owns it (now or from an earlier delivery).
     */
    async claimOrder(orderId: string, reimbursementId: string, campaignId: string): Promise<boolean> {
      try {
        await claims.insertOne({ _id: orderId, reimbursementId, campaignId, at: new Date() } as never);
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const owner = await claims.findOne({ _id: orderId as never });
        return (owner as OrderClaimDoc | null)?.reimbursementId === reimbursementId;
      }
    },

    /**
     * Stores a proof on a reimbursement still open to one; of several proofs the latest (by time, then id)
     * wins whatever order they are applied in. Returns the document after, or null when nothing changed.
     */
    async record(doc: ReimbursementDoc, proof: ProofDoc): Promise<ReimbursementDoc | null> {
      let current: ReimbursementDoc | null = doc;
      while (current && OPEN_STATES.includes(current.state) && newer(proof, current.proof)) {
        const out = await moves.transition(current._id, {
          from: [current.state],
          to: current.state,
          source: `submission ${proof.submissionId}`,
          reason: current.reason,
          note: `proof received: order ${proof.orderId}`,
          set: { proof },
        });
        if (out.ok) return out.doc;
        current = out.code === 'not_found' ? null : out.doc;
      }
      return null;
    },
  };
}

function newer(proof: ProofDoc, current: ProofDoc | null): boolean {
  if (!current) return true;
  const [a, b] = [new Date(proof.at).getTime(), new Date(current.at).getTime()];
  return a > b || (a === b && proof.submissionId > current.submissionId);
}
