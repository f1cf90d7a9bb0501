import { REIMBURSEMENT_REASONS, type ReimbursementSettings } from '@seedline/domain';
import type { Repositories } from '@seedline/db';
import { queueMoneyFollowUps, type Queues } from '@seedline/runtime';

/** More room than before: a budget raised, or removed (null: no limit). */
export function budgetRaised(before: ReimbursementSettings | null, after: ReimbursementSettings | null): boolean {
  if (!before || !after || before.budget === null) return false;
  return after.budget === null || after.budget > before.budget;
}

/**
 * Automatic approvals the budget could not take wait in `pending_review` with reason `over_budget`. When the
 * brand raises the budget, they are approved again in id order (the order bulk approval uses) until it is
 * spent, each through the ledger's budget check, and their payouts and emails queued.
 */
export async function approveWaitingForBudget(
  deps: { repos: Pick<Repositories, 'reimbursements' | 'reimbursementActions'>; queues: Queues },
  campaignId: string,
): Promise<{ approved: number; stillWaiting: number }> {
  const waiting: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await deps.repos.reimbursements.page(campaignId, { state: 'pending_review', after, limit: 500 });
    waiting.push(...page.filter((d) => d.reason === REIMBURSEMENT_REASONS.overBudget).map((d) => d._id));
    after = page[page.length - 1]?._id;
    if (page.length < 500) break;
  }
  if (waiting.length === 0) return { approved: 0, stillWaiting: 0 };
  const out = await deps.repos.reimbursementActions.approveMany(campaignId, waiting, 'budget raised');
  await queueMoneyFollowUps(deps.queues, out.entries);
  return { approved: out.approved.length, stillWaiting: out.refused.length };
}
