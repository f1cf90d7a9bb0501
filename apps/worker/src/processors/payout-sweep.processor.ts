import { jobIdFor, JOB_CATALOGUE } from '@seedline/domain';
import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

const PAGE = 500;

/**
 * The payouts' safety net and their follower: every reimbursement `sending` (its attempt is looked up at the
 * provider), every one `approved` (its payout job may have been lost between the approval and the queue), and
 * every one paid within PAYOUT_REVERSAL_WATCH_DAYS and not looked up for PAYOUT_REVERSAL_CHECK_SECONDS (the
 * provider may take it back) gets a payout job. One job per reimbursement at a time: its id names the
 * reimbursement, and it is removed as soon as it ends, so the next sweep can queue it again.
 */
export const payoutSweepProcessor =
  (s: WorkerServices): Handler<'payout-sweep'> =>
  async () => {
    if (s.payouts.provider.name === 'manual') return { queued: 0 };
    const now = Date.now();
    const watch = {
      paidAfter: new Date(now - s.config.PAYOUT_REVERSAL_WATCH_DAYS * 86_400_000),
      checkedBefore: new Date(now - s.config.PAYOUT_REVERSAL_CHECK_SECONDS * 1000),
    };
    let queued = 0;
    for (const state of ['sending', 'approved', 'paid'] as const) {
      for (let after: string | undefined; ;) {
        const o = { ...(after ? { after } : {}), limit: PAGE };
        const page =
          state === 'paid'
            ? await s.repos.payouts.listPaidToWatch({ ...watch, ...o })
            : await s.repos.payouts.listInState(state, o);
        if (page.length === 0) break;
        await s.queues.payouts.addBulk(
          page.map((r) => ({
            name: 'payouts',
            data: { reimbursementId: r._id },
            opts: {
              ...JOB_CATALOGUE.payouts.options,
              jobId: jobIdFor('payout-sweep', r._id),
              removeOnComplete: true,
              removeOnFail: true,
            } as never,
          })),
        );
        queued += page.length;
        after = page[page.length - 1]?._id;
        if (page.length < PAGE) break;
      }
    }
    return { queued };
  };
