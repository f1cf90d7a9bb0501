import { z } from 'zod';
import { REIMBURSEMENT_STATES } from '@seedline/domain';
import { REPORT_UPLOAD_LIMIT } from '../uploads/report-upload.js';

const TYPES = ['text/plain', 'text/tab-separated-values', 'text/csv', 'application/octet-stream'] as const;
const FBA_EXAMPLE = [
  '\ufeffreturn-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\tdetailed-disposition\treason\tstatus\tlicense-plate-number\tcustomer-comments\t',
  '2026-11-30T09:12:44+00:00\t113-4827361-9283746\tGLOW-SERUM-30\tB0CX7Q2M1N\tX003ABC12D\tGlow Serum 30 ml\t1\tPHX7\tSELLABLE\tUNWANTED_ITEM\tUnit returned to inventory\tLPNRR123456789\t\t',
].join('\r\n');
const ORDERS_EXAMPLE = [
  'amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price',
  '113-4827361-9283746\t\t2026-11-25T18:22:31+00:00\t2026-11-25T18:22:31+00:00\tShipped\tAmazon\tAmazon.com\t\tExpedited\tGlow Serum 30 ml\tGLOW-SERUM-30\tB0CX7Q2M1N\tShipped\t1\tUSD\t24.99\t2.06\t0.00',
].join('\n');
const AS_DOWNLOADED =
  'The file as downloaded from Seller Central or the Reports API (tab-separated; a BOM, CRLF line ends, blank ' +
  'trailing columns and `+00:00` offsets are fine; a spreadsheet’s CSV too), recognised by its header. The body is ' +
  `read as it arrives and refused past ${REPORT_UPLOAD_LIMIT} (413). All or nothing: a bad value answers 400 naming ` +
  'its line and column (`line 7.order-id`), an unknown header `unrecognised_report` with the columns expected, the ' +
  'other kind of report `wrong_report`; nothing is stored then. ';

const returnsResponse = z.object({
  report: z.enum(['fba_returns', 'seller_returns']),
  rows: z.number().int(),
  matched: z.number().int(),
  unmatched: z.number().int(),
  returned: z.array(
    z.object({
      reimbursementId: z.string(),
      campaignId: z.string(),
      instagramHandle: z.string().nullable(),
      orderId: z.string(),
      from: z.enum(REIMBURSEMENT_STATES),
    }),
  ),
  pendingPayouts: z.number().int(),
  blockedHandles: z.array(z.string()),
});
const ordersResponse = z.object({
  report: z.literal('all_orders'),
  rows: z.number().int(),
  verified: z.number().int(),
  approved: z.number().int(),
  overBudget: z.number().int(),
  unmatched: z.number().int(),
  skipped: z.number().int(),
});

/** The Amazon report uploads of the catalogue (typed where `ROUTES` spreads them). */
export const AMAZON_REPORT_ROUTES = [
  {
    method: 'post',
    path: '/v1/returns',
    takesTurns: true,
    server: 'api',
    tag: 'Reports',
    summary: 'Upload an Amazon returns report: returned influencers are caught',
    description:
      `${AS_DOWNLOADED}Accepts the FBA customer returns report (\`GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA\`: ` +
      '`return-date`, `order-id`, `asin`, `quantity`, `detailed-disposition`, …) and the seller-fulfilled returns ' +
      'report (`GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE`: `Order ID`, `Order date`, `Return request date`, …, ' +
      '`Refunded Amount`). Rows are matched by the order number of an influencer’s proof of purchase, among this ' +
      'brand’s campaigns only (another brand’s order numbers are unmatched). A match moves the reimbursement to ' +
      '`returned` (before its payout is sent: it is never paid; after: a `return_credit` line on the statement of the ' +
      'week the return is recorded; while the payout is being sent: once it settles, `pendingPayouts`), shows on the ' +
      'influencer’s timeline, and blocks the handle for the brand: its later sign-ups to any of the brand’s campaigns ' +
      'answer `409 influencer_blocked`. Unmatched rows are counted, not stored. Uploading the same report again ' +
      'changes nothing.',
    security: 'brand',
    body: { text: { types: TYPES, example: FBA_EXAMPLE }, limit: `${REPORT_UPLOAD_LIMIT}, 200,000 rows` },
    responses: { 200: { description: 'what the report matched', schema: returnsResponse } },
  },
  {
    method: 'post',
    path: '/v1/orders',
    takesTurns: true,
    server: 'api',
    tag: 'Reports',
    summary: 'Upload the Amazon all-orders report: proofs of purchase are verified',
    description:
      `${AS_DOWNLOADED}Accepts the all-orders report (\`GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL\`: ` +
      '`amazon-order-id`, `purchase-date`, `order-status`, `asin`, `item-status`, `quantity`, `currency`, `item-price`, ' +
      '…). A proof whose order number is on a line for the campaign’s product (the ASIN of its `productUrl`), not ' +
      'cancelled and priced (pending orders have no price yet), is marked `orderVerified` with the price Amazon ' +
      'charged. With `reimbursement.requireOrderMatch`, automatic approval waits for this (`pending_review`, reason ' +
      '`order_not_in_report`): the match approves it and queues its payout at once (or, past the budget, leaves it ' +
      'waiting with `over_budget`). ' +
      'The report’s usable lines are kept (order number, ASIN, price: no buyer data), so a proof sent after the ' +
      'upload is verified as it arrives. Uploading the same report again changes nothing.',
    security: 'brand',
    body: { text: { types: TYPES, example: ORDERS_EXAMPLE }, limit: `${REPORT_UPLOAD_LIMIT}, 200,000 rows` },
    responses: { 200: { description: 'what the report matched', schema: ordersResponse } },
  },
] as const;
