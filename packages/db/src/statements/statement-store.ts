import type { Connection } from 'mongoose';
import type { LedgerMove, MoveContext } from '@seedline/domain';
import { isDuplicateKey } from '../mongo-errors.js';
import { entryModel, type EntryDoc } from '../reimbursements/entry.schema.js';
import { reimbursementModel, type ReimbursementDoc } from '../reimbursements/reimbursement.schema.js';

/** A closed week's statement as first served: kept whole so every later read is the same, byte for byte. */
interface FrozenStatementDoc {
  _id: string;
  brandId: string;
  week: string;
  body: unknown;
  at: Date;
}

export interface WeekMoves {
  moves: LedgerMove[];
  contexts: Map<string, MoveContext>;
}

/**
 * Reads for statements: the ledger moves of a brand recorded in a time range (with who and what they were
 * about), and the frozen statements of closed weeks. Freezing is a plain insert of a fixed `_id`
 * (`<brandId>-<week>`): two readers freezing at once meet on the duplicate key and both serve the first.
 */
export function statementStore(conn: Connection, record: (entry: EntryDoc) => Promise<void>) {
  const entries = entryModel(conn);
  const reimbursements = reimbursementModel(conn);
  const frozen = conn.collection<FrozenStatementDoc>('statements');
  const campaigns = conn.collection<{ _id: string; name: string }>('campaigns');

  return {
    /**
     * Moves that pay or take back money, recorded in [start, end). A move's ledger copy is written right after
     * its compare-and-set; in case that was cut short, the moves still held on the brand's reimbursements are
     * copied first (idempotent), so a week is never read without a move made in it.
     */
    async moves(brandId: string, start: number, end: number): Promise<WeekMoves> {
      const held = await reimbursements
        .find({ brandId, 'pendingEntry.at': { $gte: new Date(start), $lt: new Date(end) } }, { pendingEntry: 1 })
        .lean<Pick<ReimbursementDoc, 'pendingEntry'>[]>()
        .exec();
      for (const h of held) if (h.pendingEntry) await record(h.pendingEntry);
      const docs = await entries
        .find({ brandId, at: { $gte: new Date(start), $lt: new Date(end) }, $or: [{ to: 'paid' }, { from: 'paid' }] })
        .lean<EntryDoc[]>()
        .exec();
      const moves: LedgerMove[] = docs.map((e) => ({
        entryId: e._id,
        reimbursementId: e.reimbursementId,
        campaignId: e.campaignId,
        at: new Date(e.at).getTime(),
        from: e.from,
        to: e.to,
        amount: e.amount,
        currency: e.currency,
        providerRef: e.providerRef,
      }));
      return { moves, contexts: await this.contexts(moves) };
    },

    async contexts(moves: readonly LedgerMove[]): Promise<Map<string, MoveContext>> {
      const ids = [...new Set(moves.map((m) => m.reimbursementId))];
      const campaignIds = [...new Set(moves.map((m) => m.campaignId))];
      if (ids.length === 0) return new Map();
      const [docs, names] = await Promise.all([
        reimbursements
          .find({ _id: { $in: ids } }, { instagramHandle: 1, proof: 1, paymentReference: 1 })
          .lean<Pick<ReimbursementDoc, '_id' | 'instagramHandle' | 'proof' | 'paymentReference'>[]>()
          .exec(),
        campaigns.find({ _id: { $in: campaignIds } }, { projection: { name: 1 } }).toArray(),
      ]);
      const nameOf = new Map(names.map((c) => [String(c._id), c.name]));
      const byId = new Map(docs.map((d) => [d._id, d]));
      const out = new Map<string, MoveContext>();
      for (const m of moves) {
        const d = byId.get(m.reimbursementId);
        out.set(m.reimbursementId, {
          campaignName: nameOf.get(m.campaignId) ?? '',
          instagramHandle: d?.instagramHandle ?? null,
          orderId: d?.proof?.orderId ?? null,
          paymentReference: d?.paymentReference ?? null,
        });
      }
      return out;
    },

    async frozen(brandId: string, weeks: readonly string[]): Promise<Map<string, unknown>> {
      if (weeks.length === 0) return new Map();
      const docs = await frozen.find({ _id: { $in: weeks.map((w) => `${brandId}-${w}`) } }).toArray();
      return new Map(docs.map((d) => [d.week, d.body]));
    },

    /** Keeps a closed week's statement; answers the one kept first when another reader froze it already. */
    async freeze(brandId: string, week: string, body: unknown): Promise<unknown> {
      const _id = `${brandId}-${week}`;
      try {
        await frozen.insertOne({ _id, brandId, week, body, at: new Date() });
        return body;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return (await frozen.findOne({ _id }))?.body ?? body;
      }
    },
  };
}
export type StatementStore = ReturnType<typeof statementStore>;
