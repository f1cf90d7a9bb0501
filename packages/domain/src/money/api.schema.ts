import { z } from 'zod';
import { objectId } from '../events/common.js';
import { REIMBURSEMENT_STATES } from './state.js';

const state = z.enum(REIMBURSEMENT_STATES);
const money = z.string().describe('decimal string in the currency\'s minor digits, e.g. "24.99"');

export const reimbursementListQuery = z.strictObject({
  status: state.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(100).optional().describe('`nextCursor` of the previous page'),
});
export type ReimbursementListQuery = z.infer<typeof reimbursementListQuery>;

export const reimbursementRejectRequest = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const reimbursementPaidRequest = z.strictObject({
  reference: z.string().trim().min(1).max(200).describe("the brand's own payment reference"),
});
export const reimbursementBulkApproveRequest = z
  .strictObject({
    ids: z.array(objectId).min(1).max(1000).optional(),
    status: z.enum(['pending_review', 'held']).optional(),
  })
  .refine((v) => (v.ids === undefined) !== (v.status === undefined), 'give either ids or status');
export type ReimbursementBulkApproveRequest = z.infer<typeof reimbursementBulkApproveRequest>;

export const reimbursementBriefResponse = z
  .object({ state, amount: money.nullable(), currency: z.string(), reason: z.string().optional() })
  .describe('null when the campaign has no reimbursement or the influencer has none yet');
export type ReimbursementBrief = z.infer<typeof reimbursementBriefResponse>;

export const reimbursementItemResponse = z.object({
  id: z.string(),
  influencerId: z.string(),
  instagramHandle: z.string().nullable(),
  state,
  amount: money.nullable().describe('null until the proof of purchase arrives'),
  currency: z.string(),
  reason: z.string().nullable(),
  orderId: z.string().nullable(),
  amountPaid: money.nullable(),
  payoutEmail: z.string().nullable().describe('only ever shown to the brand that owns the campaign'),
  paymentReference: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});
export type ReimbursementItem = z.infer<typeof reimbursementItemResponse>;
export const reimbursementPageResponse = z.object({
  items: z.array(reimbursementItemResponse),
  nextCursor: z.string().nullable(),
});
export const reimbursementBulkApproveResponse = z.object({
  approved: z.array(z.string()),
  refused: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
});

const figure = z.object({ count: z.number().int(), amount: money });
export const reimbursementSummaryResponse = z
  .object({
    currency: z.string(),
    due: figure.describe('owed and not paid yet: pending review, approved, sending or failed'),
    pendingReview: figure,
    approved: figure.describe('approved, including payouts under way'),
    paid: figure,
    held: figure,
    failed: figure,
  })
  .nullable();
export type ReimbursementSummary = z.infer<typeof reimbursementSummaryResponse>;
