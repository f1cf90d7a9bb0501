import type { EntryDoc, Repositories } from '@seedline/db';
import { queueMoneyFollowUps, type Queues } from '@seedline/runtime';

/** How far back the sweep looks for moves whose ledger copy was left undone (the recount covers the rest). */
const UNRECORDED_WITHIN_MS = 2 * 60 * 60 * 1000;

/** The worker's follow-ups of reimbursement moves (runtime's queueMoneyFollowUps) and the email outbox sweep. */
export function moneyFollowUps(repos: Repositories, queues: Queues) {
  return {
    after: (entries: EntryDoc[]): Promise<void> => queueMoneyFollowUps(queues, entries),
    /** Re-queues the emails the ledger still shows as owed (a crash between a move and its follow-up). */
    async sweepNotices(): Promise<number> {
      // A move whose ledger copy a killed worker left undone has its email in no outbox until copied.
      await repos.reimbursements.copyUnrecorded(UNRECORDED_WITHIN_MS);
      const pending = await repos.reimbursements.pendingNotices(500);
      await queueMoneyFollowUps(
        queues,
        // Only the email: `from: to` is no approval, so no payout is queued again here.
        pending.map((e) => ({ ...e, from: e.to })),
      );
      return pending.length;
    },
  };
}
export type MoneyFollowUps = ReturnType<typeof moneyFollowUps>;
