import type { Repositories, StateTotals } from '@seedline/db';
import { formatMoney, type ReimbursementState, type ReimbursementSummary } from '@seedline/domain';

type Figure = { count: number; amount: string };

/**
 * The money part of a campaign summary: count and amount per group of states, summed from the
 * reimbursement documents in one `$group`, and what the budget still allows. Null for a campaign without
 * terms (it has no budget document).
 */
export async function reimbursementSummary(
  repos: Pick<Repositories, 'reimbursements'>,
  campaignId: string,
): Promise<{ reimbursements: ReimbursementSummary; budgetLeft: string | null }> {
  const [budget, totals] = await Promise.all([
    repos.reimbursements.budget.read(campaignId),
    repos.reimbursements.totals(campaignId),
  ]);
  if (!budget) return { reimbursements: null, budgetLeft: null };
  const sum = (...states: ReimbursementState[]): Figure => {
    let count = 0;
    let amount = 0;
    for (const s of states) {
      const t: StateTotals | undefined = totals.get(s);
      count += t?.count ?? 0;
      amount += t?.amount ?? 0;
    }
    return { count, amount: formatMoney(amount, budget.currency) };
  };
  return {
    reimbursements: {
      currency: budget.currency,
      due: sum('pending_review', 'approved', 'sending', 'failed'),
      pendingReview: sum('pending_review'),
      approved: sum('approved', 'sending'),
      paid: sum('paid'),
      held: sum('held'),
      failed: sum('failed'),
    },
    budgetLeft:
      budget.budget === null ? null : formatMoney(Math.max(0, budget.budget - budget.committed), budget.currency),
  };
}
