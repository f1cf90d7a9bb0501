import { jobIdFor, JOB_CATALOGUE, type ReimbursementState } from '@seedline/domain';
import type { Queues } from './queues.js';

/** What a follow-up needs to know of a ledger entry. */
export interface MoveEntry {
  _id: string;
  reimbursementId: string;
  from: ReimbursementState | null;
  to: ReimbursementState;
  notice: 'pending' | 'sent' | 'failed' | null;
}

/**
 * What follows reimbursement moves, queued after the move is recorded (the entry is the intent; these jobs
 * carry it out), by whichever process made the move (api or worker): an approval queues its payout, a move
 * the influencer is told about queues the email. Job ids name the entry, so a repeated follow-up queues
 * nothing twice; the worker's sweep queues again any email the ledger still shows as owed.
 */
export async function queueMoneyFollowUps(queues: Queues, entries: readonly MoveEntry[]): Promise<void> {
  for (const e of entries) {
    if (e.to === 'approved' && e.from !== 'approved') {
      await queues.payouts.add(
        'payouts',
        { reimbursementId: e.reimbursementId },
        {
          ...JOB_CATALOGUE.payouts.options,
          jobId: jobIdFor('payout', e._id),
        },
      );
    }
    if (e.notice === 'pending') {
      await queues['reimbursement-notices'].add(
        'reimbursement-notices',
        { entryId: e._id },
        {
          ...JOB_CATALOGUE['reimbursement-notices'].options,
          jobId: jobIdFor('notice', e._id),
        },
      );
    }
  }
}
