import type { Connection } from 'mongoose';
import { canTransition, formatMoney, isCommitted, NOTIFIED_STATES, type ReimbursementState } from '@seedline/domain';
import type { EventRepository } from '../events/event.repository.js';
import type { EventDoc } from '../events/event.schema.js';
import type { Budgets } from './budget.js';
import { entryModel, type EntryDoc } from './entry.schema.js';
import { reimbursementModel, type ReimbursementDoc } from './reimbursement.schema.js';

export interface TransitionRequest {
  /** the states the caller expects to move from; anything else is a conflict */
  from: readonly ReimbursementState[];
  to: ReimbursementState;
  /** who: `worker`, `brand:<id>`, `payouts`… */
  source: string;
  /** why (held, rejected, failed): kept on the document and the entry */
  reason?: string | null;
  /** said on the entry and timeline only (e.g. "proof received") */
  note?: string | null;
  providerRef?: string | null;
  attempt?: number | null;
  /** other fields set by the same compare-and-set (proof, amount, breakdown, paymentReference, `payout.*`) */
  set?: Record<string, unknown>;
}

export type TransitionOutcome =
  | { ok: true; doc: ReimbursementDoc; entry: EntryDoc }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'conflict'; doc: ReimbursementDoc }
  | { ok: false; code: 'over_budget'; doc: ReimbursementDoc; budgetLeft: number };

const ATTEMPTS = 20;

/** Told of every move once it is recorded on the document (the brand's `reimbursement.updated` webhook). */
export type MoveListener = (entry: EntryDoc) => Promise<void>;

/**
 * Moves reimbursements, one compare-and-set on `rev` each, with the ledger entry of the move written in the
 * same update (`pendingEntry`) and copied to the ledger and the influencer's timeline right after; whoever
 * moves the document next copies it first if that was interrupted. Entering approved/sending/paid reserves
 * the amount from the budget first; leaving them releases it after.
 */
export function transitions(
  conn: Connection,
  events: EventRepository,
  budget: Budgets,
  onMove: MoveListener = () => Promise.resolve(),
) {
  const Reimbursement = reimbursementModel(conn);
  const col = Reimbursement.collection;
  const ledger = entryModel(conn).collection;

  /** true if inserted now, false if it was there already */
  const insertIgnoringDuplicate = async (insert: () => Promise<unknown>): Promise<boolean> => {
    try {
      await insert();
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err;
      return false;
    }
  };

  /**
   * Copies a move's entry to the ledger and the timeline (idempotent). A copy missing from the ledger means the
   * mover stopped before it, and so perhaps before announcing the move too: whoever copies it announces it
   * (the listener's ids make a second announcement harmless).
   */
  const record = async (entry: EntryDoc, announced = false): Promise<void> => {
    const fresh = await insertIgnoringDuplicate(() => ledger.insertOne(entry as never));
    if (fresh && !announced) await onMove(entry);
    await events.insertOne(timelineEvent(entry));
  };

  const findById = (id: string) => Reimbursement.findById(id).lean<ReimbursementDoc>().exec();

  async function transition(id: string, req: TransitionRequest): Promise<TransitionOutcome> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const doc = await findById(id);
      if (!doc) return { ok: false, code: 'not_found' };
      if (doc.pendingEntry) await record(doc.pendingEntry);
      if (!req.from.includes(doc.state) || !canTransition(doc.state, req.to))
        return { ok: false, code: 'conflict', doc };
      const set = req.set ?? {};
      const amount = (set.amount as number | null | undefined) ?? doc.amount;
      const entering = !isCommitted(doc.state) && isCommitted(req.to);
      const leaving = isCommitted(doc.state) && !isCommitted(req.to);
      if (entering) {
        if (amount === null) return { ok: false, code: 'conflict', doc };
        const reserved = await budget.reserve(doc.campaignId, amount);
        if (!reserved.ok) return { ok: false, code: 'over_budget', doc, budgetLeft: reserved.budgetLeft };
      }
      const now = new Date();
      const rev = doc.rev + 1;
      const entry: EntryDoc = {
        _id: `${id}-${rev}`,
        reimbursementId: id,
        campaignId: doc.campaignId,
        brandId: doc.brandId,
        influencerId: doc.influencerId,
        rev,
        at: now,
        from: doc.state,
        to: req.to,
        amount,
        committedDelta: entering ? (amount ?? 0) : leaving ? -(doc.amount ?? 0) : 0,
        currency: doc.currency,
        source: req.source,
        reason: req.reason ?? req.note ?? null,
        providerRef: req.providerRef ?? null,
        attempt: req.attempt ?? null,
        notice: NOTIFIED_STATES.includes(req.to) && req.to !== doc.state ? 'pending' : null,
      };
      const res = await col.updateOne(
        { _id: id as never, rev: doc.rev },
        {
          $set: { ...set, state: req.to, reason: req.reason ?? null, rev, pendingEntry: entry, updatedAt: now },
        },
      );
      if (res.modifiedCount !== 1) {
        if (entering) await budget.release(doc.campaignId, amount ?? 0);
        continue;
      }
      // Announced before the ledger copy: a stop in between leaves the copy missing, and the next mover announces.
      await onMove(entry);
      await record(entry, true);
      if (leaving) await budget.release(doc.campaignId, doc.amount ?? 0);
      const after = {
        ...doc,
        ...set,
        state: req.to,
        reason: req.reason ?? null,
        rev,
        pendingEntry: entry,
        updatedAt: now,
      };
      return { ok: true, doc: after, entry };
    }
    throw new Error(`reimbursement ${id}: compare-and-set kept losing`);
  }

  return { transition, record, findById };
}

/** How a move reads on the influencer's timeline. */
export function timelineEvent(entry: EntryDoc): EventDoc {
  const amount = entry.amount === null ? '' : ` (${formatMoney(entry.amount, entry.currency)} ${entry.currency})`;
  const why = entry.reason ? `: ${entry.reason}` : '';
  const verb =
    entry.from === null || entry.from === entry.to
      ? `reimbursement ${entry.to}`
      : `reimbursement ${entry.from} → ${entry.to}`;
  return {
    _id: `reimbursement-${entry._id}`,
    campaignId: entry.campaignId,
    influencerId: entry.influencerId,
    type: 'reimbursement',
    at: entry.at,
    detail: `${verb}${amount}${why}`,
    source: entry.source,
    counter: null,
    data: {
      reimbursementId: entry.reimbursementId,
      rev: entry.rev,
      from: entry.from,
      to: entry.to,
      amount: entry.amount,
    },
  };
}
