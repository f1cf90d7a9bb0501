import { COMMITTED_STATES, type ReimbursementState } from '@seedline/domain';
import type { EntryDoc } from './entry.schema.js';
import type { ReimbursementDoc } from './reimbursement.schema.js';
import type { ReimbursementRepository } from './reimbursement.repository.js';

export type ActionOutcome =
  | { ok: true; doc: ReimbursementDoc; entry: EntryDoc | null }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'conflict'; state: ReimbursementState; message: string }
  | { ok: false; code: 'over_budget'; budgetLeft: number; message: string };

const APPROVABLE: ReimbursementState[] = ['pending_review', 'held'];

/**
 * What a brand does to its reimbursements. Each is idempotent: asking for the state it is already in
 * answers as a success without a second move (and without a second entry).
 */
export function brandActions(repo: ReimbursementRepository) {
  const act = async (
    campaignId: string,
    id: string,
    to: ReimbursementState,
    from: ReimbursementState[],
    done: (doc: ReimbursementDoc) => boolean,
    extra: { source: string; reason?: string | null; set?: Record<string, unknown> },
  ): Promise<ActionOutcome> => {
    const doc = await repo.findForCampaign(campaignId, id);
    if (!doc) return { ok: false, code: 'not_found' };
    if (done(doc)) return { ok: true, doc, entry: null };
    const out = await repo.transition(id, { from, to, ...extra });
    if (out.ok) return out;
    if (out.code === 'not_found') return out;
    if (out.code === 'over_budget') {
      return {
        ok: false,
        code: 'over_budget',
        budgetLeft: out.budgetLeft,
        message: 'approving it would exceed the campaign budget',
      };
    }
    if (done(out.doc)) return { ok: true, doc: out.doc, entry: null };
    return {
      ok: false,
      code: 'conflict',
      state: out.doc.state,
      message: `a reimbursement in state ${out.doc.state} cannot become ${to}`,
    };
  };

  const approve = (campaignId: string, id: string, source: string) =>
    act(campaignId, id, 'approved', APPROVABLE, (d) => COMMITTED_STATES.includes(d.state), { source });

  return {
    approve,
    reject: (campaignId: string, id: string, reason: string, source: string) =>
      act(
        campaignId,
        id,
        'rejected',
        ['awaiting_proof', 'pending_review', 'held', 'approved', 'failed'],
        (d) => d.state === 'rejected',
        {
          source,
          reason,
        },
      ),
    /** The manual provider: the brand paid by its own means. */
    markPaid: (campaignId: string, id: string, reference: string, source: string) =>
      act(campaignId, id, 'paid', ['approved'], (d) => d.state === 'paid', {
        source,
        set: { paymentReference: reference },
      }),
    /** A failed payout back to approved (the budget is reserved again); the caller queues the payout. */
    retry: (campaignId: string, id: string, source: string) =>
      act(campaignId, id, 'approved', ['failed'], (d) => d.state === 'approved' || d.state === 'sending', { source }),
    /**
     * Approves in id order until the budget refuses; then each later one that still fits (a smaller amount)
     * is approved too, so the outcome depends only on the ids and amounts.
     */
    async approveMany(
      campaignId: string,
      ids: string[],
      source: string,
    ): Promise<{ approved: string[]; refused: { id: string; code: string; message: string }[]; entries: EntryDoc[] }> {
      const approved: string[] = [];
      const refused: { id: string; code: string; message: string }[] = [];
      const entries: EntryDoc[] = [];
      for (const id of [...new Set(ids)].sort()) {
        const out = await approve(campaignId, id, source);
        if (out.ok) {
          approved.push(id);
          if (out.entry) entries.push(out.entry);
        } else if (out.code === 'not_found')
          refused.push({ id, code: 'not_found', message: 'reimbursement not found' });
        // The single approve's code for the same refusal (its 409 `invalid_state`), so clients read one word.
        else refused.push({ id, code: out.code === 'conflict' ? 'invalid_state' : out.code, message: out.message });
      }
      return { approved, refused, entries };
    },
  };
}
export type BrandActions = ReturnType<typeof brandActions>;
