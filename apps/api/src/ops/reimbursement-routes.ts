import {
  reimbursementBulkApproveRequest,
  reimbursementBulkApproveResponse,
  reimbursementItemResponse,
  reimbursementListQuery,
  reimbursementPageResponse,
  reimbursementPaidRequest,
  reimbursementRejectRequest,
} from '@seedline/domain';

const tag = 'Reimbursements';
const CONFLICTS =
  '409 `over_budget` (`details.budgetLeft`) when approving would take approved + paid past the budget; 409 ' +
  '`invalid_state` when the reimbursement is in a state that cannot make this move.';
const item = {
  description: 'the reimbursement after the move (or as it was, if it was already there)',
  schema: reimbursementItemResponse,
};

/** The reimbursement routes of the catalogue (typed where `ROUTES` spreads them). */
export const REIMBURSEMENT_ROUTES = [
  {
    method: 'get',
    path: '/v1/campaigns/:id/reimbursements',
    server: 'api',
    tag,
    summary: "A campaign's reimbursements, by id",
    description:
      'Keyset pages in id order (the order bulk approval uses), optionally one `status`. Amounts are decimal strings in ' +
      "the currency's minor digits. `payoutEmail` is opened from its sealed form for the owning brand only.",
    security: 'brand',
    query: reimbursementListQuery,
    responses: { 200: { description: 'a page', schema: reimbursementPageResponse } },
  },
  {
    method: 'post',
    path: '/v1/campaigns/:id/reimbursements/approve',
    server: 'api',
    tag,
    summary: 'Approve many, in id order, up to the budget',
    description:
      'By `ids`, or every reimbursement in `status` (`pending_review` or `held`). Each is approved in id order while the ' +
      'budget allows; the ones it refuses (or that cannot be approved) are listed in `refused` with a code.',
    security: 'brand',
    body: { schema: reimbursementBulkApproveRequest, limit: '64kb' },
    responses: {
      200: { description: 'what was approved and what was refused', schema: reimbursementBulkApproveResponse },
    },
  },
  {
    method: 'post',
    path: '/v1/campaigns/:id/reimbursements/:rid/approve',
    conflicts: true,
    server: 'api',
    tag,
    summary: 'Approve one (idempotent)',
    description: `From \`pending_review\` or \`held\`; the payout is queued. ${CONFLICTS}`,
    security: 'brand',
    responses: { 200: item },
  },
  {
    method: 'post',
    path: '/v1/campaigns/:id/reimbursements/:rid/reject',
    conflicts: true,
    server: 'api',
    tag,
    summary: 'Reject one with a reason (idempotent)',
    description: `The influencer is told, with the reason. ${CONFLICTS}`,
    security: 'brand',
    body: { schema: reimbursementRejectRequest, limit: '64kb' },
    responses: { 200: item },
  },
  {
    method: 'post',
    path: '/v1/campaigns/:id/reimbursements/:rid/retry',
    conflicts: true,
    server: 'api',
    tag,
    summary: 'Retry a failed payout',
    description: `A \`failed\` reimbursement goes back to \`approved\` (the budget is reserved again) and its payout is queued. ${CONFLICTS}`,
    security: 'brand',
    responses: { 200: item },
  },
  {
    method: 'post',
    path: '/v1/campaigns/:id/reimbursements/:rid/paid',
    conflicts: true,
    server: 'api',
    tag,
    summary: 'Mark one paid (manual provider)',
    description: `The brand paid by its own means; \`reference\` is kept. Only from \`approved\`; again answers 200 unchanged. ${CONFLICTS}`,
    security: 'brand',
    body: { schema: reimbursementPaidRequest, limit: '64kb' },
    responses: { 200: item },
  },
  {
    method: 'get',
    path: '/v1/campaigns/:id/payouts.csv',
    server: 'api',
    tag,
    summary: 'Approved reimbursements to pay, as CSV (manual provider)',
    description: 'Columns: reimbursementId, influencerId, instagramHandle, payoutEmail, amount, currency, orderId.',
    security: 'brand',
    responses: {
      200: {
        description: 'CSV',
        content: {
          type: 'text/csv',
          example: 'reimbursementId,influencerId,instagramHandle,payoutEmail,amount,currency,orderId',
        },
      },
    },
  },
] as const;
