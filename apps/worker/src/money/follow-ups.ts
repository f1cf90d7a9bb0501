import type { EntryDoc, Repositories } from '@seedline/db';
import { jobIdFor, JOB_CATALOGUE, type JobPayload, type QueueName } from '@seedline/domain';
import type { Queues } from '@seedline/runtime';

/**
 * What follows a reimbursement move, queued after the move is recorded (the entry is the intent; these jobs
 * carry it out): an approval queues its payout, and a move the influencer is told about queues the email.
 * Job ids name the entry, so a repeated follow-up queues nothing twice; the notice sweep queues again
 * whatever the ledger still shows as owed (a crash between the move and this).
 */
export function moneyFollowUps(repos: Repositories, queues: Queues) {
  const add = <Q extends QueueName>(queue: Q, data: JobPayload<Q>, jobId: string) =>
    queues[queue].add(queue, data, { ...JOB_CATALOGUE[queue].options, jobId });
  const notify = async (entries: EntryDoc[]) => {
    for (const e of entries) {
      if (e.notice === 'pending') await add('reimbursement-notices', { entryId: e._id }, jobIdFor('notice', e._id));
    }
  };
  return {
    async after(entries: EntryDoc[]): Promise<void> {
      for (const e of entries) {
        if (e.to === 'approved' && e.from !== 'approved') {
          await add('payouts', { reimbursementId: e.reimbursementId }, jobIdFor('payout', e._id));
        }
      }
      await notify(entries);
    },
    /** Re-queues the emails still owed (the outbox sweep). */
    async sweepNotices(): Promise<number> {
      const pending = await repos.reimbursements.pendingNotices(500);
      await notify(pending);
      return pending.length;
    },
  };
}
export type MoneyFollowUps = ReturnType<typeof moneyFollowUps>;
