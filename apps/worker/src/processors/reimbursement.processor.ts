import type { Handler } from './processor.js';
import type { WorkerServices } from '../services.js';

/** An influencer's status moved: its reimbursement may have become due. */
export const reimbursementProcessor =
  (s: WorkerServices): Handler<'reimbursements'> =>
  async (job) => {
    const entries = await s.repos.dueReimbursements.refresh(job.campaignId, job.influencerId);
    await s.money.after(entries);
    return { moves: entries.map((e) => e.to) };
  };
