import { z } from 'zod';
import { objectId } from '../events/common.js';

/** `payouts`: send (or reconcile) the payout of one approved reimbursement. */
export const payoutJob = z.object({ reimbursementId: objectId });
export type PayoutJob = z.infer<typeof payoutJob>;

/** `reimbursement-notices`: tell the influencer about one ledger entry (approved, paid, held, rejected). */
export const reimbursementNoticeJob = z.object({ entryId: z.string().min(1).max(80) });
export type ReimbursementNoticeJob = z.infer<typeof reimbursementNoticeJob>;

/** `reimbursements`: look again at an influencer's reimbursement (its status or proof changed). */
export const reimbursementEvaluateJob = z.object({ campaignId: objectId, influencerId: objectId });
export type ReimbursementEvaluateJob = z.infer<typeof reimbursementEvaluateJob>;
