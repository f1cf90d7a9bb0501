import { statementListQuery, statementListResponse, statementResponse } from '@seedline/domain';

const CSV_EXAMPLE = [
  'week,type,at,campaign_id,campaign,instagram_handle,order_id,amount,currency,provider_reference,entry_id',
  '2026-W49,payout,2026-12-01T10:02:03.000Z,66d1…,Spring Glow,ava.styles,113-4827361-9283746,27.06,USD,PAYOUT-8F2K,66d1…-4',
  '2026-W49,return_credit,2026-12-03T08:00:00.000Z,66d1…,Spring Glow,ben.b,112-9988776-5544332,24.99,USD,PAYOUT-7Q1Z,66d1…-5',
  '2026-W49,campaign_total,2026-12-07T00:00:00.000Z,66d1…,Spring Glow,,,2.07,USD,,',
  '2026-W49,total,2026-12-07T00:00:00.000Z,,,,,2.07,USD,,',
].join('\n');

const WEEKS =
  'Weeks are ISO weeks (Monday to Sunday) on the wall clock of the brand’s `timezone` (`PATCH /v1/brand`; a change ' +
  'applies from the next week). A line lands in the week its ledger move was recorded: a payout confirmed after its ' +
  'week closed, or a return found later, is a line of the week it happened in. A week closes at its end and never ' +
  'changes after (the first read after its end keeps it). ';

/** The statement routes of the catalogue (typed where `ROUTES` spreads them). */
export const STATEMENT_ROUTES = [
  {
    method: 'get',
    path: '/v1/statements',
    server: 'api',
    tag: 'Statements',
    summary: 'Weekly statements with their totals',
    description: `${WEEKS}Each item is a week's statement with \`lines\` as a count; weeks not yet started are left out.`,
    security: 'brand',
    query: statementListQuery,
    responses: { 200: { description: 'oldest week first', schema: statementListResponse } },
  },
  {
    method: 'get',
    path: '/v1/statements/:week',
    // a malformed week (`2026-W54`, `last`)
    alsoErrors: [400],
    server: 'api',
    tag: 'Statements',
    summary: 'A week’s statement',
    description:
      `${WEEKS}One line per payout (campaign, handle, order number, amount, provider reference, when) and per credit ` +
      '(`return_credit`: a paid influencer returned the product; `payout_reversed`: the provider took a payment back), ' +
      'with positive amounts; totals per campaign and currency and per currency, where `net` = payouts − credits.',
    security: 'brand',
    responses: { 200: { description: 'the statement', schema: statementResponse } },
  },
  {
    method: 'get',
    path: '/v1/statements/:week.csv',
    // a malformed week (`2026-W54`, `last`)
    alsoErrors: [400],
    server: 'api',
    tag: 'Statements',
    summary: 'A week’s statement as CSV',
    description:
      'The lines, then a `campaign_total` row per campaign and currency and a `total` row per currency (amount = net). ' +
      'A closed week’s CSV is the same bytes on every fetch.',
    security: 'brand',
    responses: { 200: { description: 'CSV', content: { type: 'text/csv', example: CSV_EXAMPLE } } },
  },
] as const;
