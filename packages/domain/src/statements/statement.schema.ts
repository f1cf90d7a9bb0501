import { z } from 'zod';

const weekKey = z.string().describe('ISO week in the brand’s zone, e.g. 2026-W49');
const money = z.string().describe('decimal string with the currency’s minor digits, e.g. "24.99"');
const count = z.object({ count: z.number().int(), amount: money });
const totals = {
  currency: z.string(),
  payouts: count,
  credits: count.describe('return credits and reversed payouts: positive amounts, subtracted in `net`'),
  net: money.describe('payouts − credits'),
};

export const statementLineResponse = z.object({
  type: z.enum(['payout', 'return_credit', 'payout_reversed']),
  campaignId: z.string(),
  campaignName: z.string(),
  instagramHandle: z.string().nullable(),
  orderId: z.string().nullable().describe('the order number of the influencer’s proof of purchase'),
  amount: money.describe('positive for every type'),
  currency: z.string(),
  providerReference: z.string().nullable(),
  at: z.iso.datetime().describe('when the payout was recorded paid, or the credit recorded'),
  reimbursementId: z.string(),
  entryId: z.string().describe('the ledger entry of the line'),
});

export const statementResponse = z.object({
  week: weekKey,
  timezone: z.string().describe('the zone the week is cut in'),
  start: z.iso.datetime(),
  end: z.iso.datetime().describe('exclusive'),
  closed: z.boolean().describe('a closed week never changes: later events land in the week they are recorded'),
  lines: z.array(statementLineResponse),
  totals: z.object({
    byCampaign: z.array(z.object({ campaignId: z.string(), campaignName: z.string(), ...totals })),
    byCurrency: z.array(z.object(totals)),
  }),
});
export type StatementResponse = z.infer<typeof statementResponse>;

export const statementSummaryResponse = statementResponse.omit({ lines: true }).extend({ lines: z.number().int() });
export const statementListResponse = z.object({ items: z.array(statementSummaryResponse) });

export const statementListQuery = z.strictObject({
  from: z.string().max(8).optional().describe('first ISO week (default: 11 weeks before `to`)'),
  to: z.string().max(8).optional().describe('last ISO week (default: the week in progress)'),
});
