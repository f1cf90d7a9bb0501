import type { Connection } from 'mongoose';
import { isCommitted, type ReimbursementState } from '@seedline/domain';
import { budgetModel, type BudgetDoc } from './budget.schema.js';
import { entryModel, type EntryDoc } from './entry.schema.js';
import { reimbursementModel } from './reimbursement.schema.js';

export interface LedgerRecount {
  campaignId: string;
  /** the budget document's commitment, the documents' sum and the ledger's sum (minor units) */
  committed: { stored: number; documents: number; ledger: number };
  /** reimbursements whose ledger does not end in their state and revision */
  mismatched: {
    id: string;
    state: ReimbursementState;
    rev: number;
    ledgerState: ReimbursementState | null;
    entries: number;
  }[];
  ok: boolean;
  repaired: boolean;
}

/**
 * Re-sums a campaign's ledger and compares it with the documents and the budget: the commitment must equal
 * the amounts in approved, sending and paid, and each reimbursement's entries must number its `rev` and end
 * in its state. With `repair` the commitment is set to the documents' sum: run it while no approval is under
 * way (a crash between a reservation and its compare-and-set only ever leaves the commitment too high).
 */
export async function recountLedger(
  conn: Connection,
  record: (entry: EntryDoc) => Promise<void>,
  campaignId: string,
  o: { repair: boolean },
): Promise<LedgerRecount> {
  const docs = await reimbursementModel(conn)
    .find({ campaignId }, { _id: 1, state: 1, rev: 1, amount: 1, pendingEntry: 1 })
    .lean<
      { _id: string; state: ReimbursementState; rev: number; amount: number | null; pendingEntry: EntryDoc | null }[]
    >()
    .exec();
  // A move whose entry copy was interrupted is completed first: it happened.
  for (const d of docs) if (d.pendingEntry) await record(d.pendingEntry);
  const entries = await entryModel(conn)
    .find({ campaignId }, { reimbursementId: 1, rev: 1, to: 1, committedDelta: 1 })
    .lean<{ reimbursementId: string; rev: number; to: ReimbursementState; committedDelta: number }[]>()
    .exec();
  const last = new Map<string, { rev: number; to: ReimbursementState; n: number }>();
  let ledger = 0;
  for (const e of entries) {
    ledger += e.committedDelta;
    const seen = last.get(e.reimbursementId);
    if (!seen || e.rev > seen.rev) last.set(e.reimbursementId, { rev: e.rev, to: e.to, n: (seen?.n ?? 0) + 1 });
    else seen.n += 1;
  }
  let documents = 0;
  const mismatched: LedgerRecount['mismatched'] = [];
  for (const d of docs) {
    if (isCommitted(d.state)) documents += d.amount ?? 0;
    const l = last.get(d._id);
    const lastState = l?.to ?? null;
    const ledgerOk = d.rev === 0 ? !l : l?.rev === d.rev && l.n === d.rev && lastState === d.state;
    if (!ledgerOk)
      mismatched.push({ id: d._id, state: d.state, rev: d.rev, ledgerState: lastState, entries: l?.n ?? 0 });
  }
  const budget = await budgetModel(conn).findById(campaignId).lean<BudgetDoc>().exec();
  const stored = budget?.committed ?? 0;
  const ok = stored === documents && ledger === documents && mismatched.length === 0;
  let repaired = false;
  if (!ok && o.repair && budget && stored !== documents) {
    await budgetModel(conn).collection.updateOne({ _id: campaignId as never }, { $set: { committed: documents } });
    repaired = true;
  }
  return { campaignId, committed: { stored, documents, ledger }, mismatched, ok, repaired };
}
