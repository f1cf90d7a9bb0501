/**
 * The PayPal Payouts API v1's answers, as PayPal documents them. Every body here is built after a documented
 * example, so a client that works against the stand-in works against any server that behaves as PayPal does:
 *
 * - Token: "Get an access token" (developer.paypal.com/api/rest/authentication/): `{scope, access_token,
 *   token_type: "Bearer", app_id, expires_in, nonce}`; a bad client is `401 {error: "invalid_client",
 *   error_description: "Client Authentication failed"}`.
 * - Create batch payout, `POST /v1/payments/payouts` (developer.paypal.com/docs/api/payments.payouts-batch/v1/,
 *   and the OpenAPI file paypal/paypal-rest-api-specifications openapi/payments_payouts_batch_v1.json):
 *   `201 {batch_header: {payout_batch_id, batch_status: "PENDING", sender_batch_header}, links}`.
 * - A `sender_batch_id` used before: "the API rejects the request with an error message that shows the duplicate
 *   sender_batch_id and includes a HATEOAS link to the original payout" — as the sandbox answers it,
 *   `400 {name: "USER_BUSINESS_ERROR", message: "User business error.", debug_id, information_link,
 *   details: [{field: "SENDER_BATCH_ID", location: "body", issue: "Batch with given sender_batch_id already
 *   exists", link: [{href: ".../v1/payments/payouts/<id>", rel: "self", method: "GET"}]}], links: []}`.
 * - Insufficient funds: the sandbox's negative test value ERRPYO005 answers `422 {name: "INSUFFICIENT_FUNDS"}`;
 *   the Payouts error table: "To complete the payout transaction, add money to your account."
 * - Show payout batch details, `GET /v1/payments/payouts/{id}` (schema `payout_batch`), and show payout item
 *   details, `GET /v1/payments/payouts-item/{id}` (schema `payout_item-2`, example in "Track payout item status"):
 *   items carry `transaction_status` in SUCCESS, FAILED, PENDING, UNCLAIMED, RETURNED, ONHOLD, BLOCKED,
 *   REFUNDED, REVERSED (`transaction_enum`); an UNCLAIMED item carries `errors: {name: "RECEIVER_UNREGISTERED"}`.
 * - Errors: `error_404` RESOURCE_NOT_FOUND, `error_500` INTERNAL_SERVER_ERROR with a `debug_id`, `error_400`
 *   VALIDATION_ERROR with `details[{field, location, issue}]`; an unknown or expired token is
 *   `401 {error: "invalid_token", error_description}`.
 */

export const TRANSACTION_STATUSES = [
  'SUCCESS',
  'FAILED',
  'PENDING',
  'UNCLAIMED',
  'RETURNED',
  'ONHOLD',
  'BLOCKED',
  'REFUNDED',
  'REVERSED',
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** Money has left the sender's account and not come back. */
export const MONEY_OUT: ReadonlySet<TransactionStatus> = new Set(['SUCCESS', 'PENDING', 'UNCLAIMED', 'ONHOLD']);

export interface Amount {
  value: string;
  currency: string;
}

export interface StandInItem {
  payoutItemId: string;
  transactionId: string;
  activityId: string;
  payoutBatchId: string;
  senderBatchId: string;
  senderItemId: string | undefined;
  recipientType: string;
  receiver: string;
  amount: Amount;
  note: string | undefined;
  status: TransactionStatus;
  /** the statuses still to come, one per `settleMs` */
  plan: TransactionStatus[];
  createdAt: number;
  changedAt: number;
}

export interface StandInBatch {
  payoutBatchId: string;
  senderBatchHeader: Record<string, unknown>;
  createdAt: number;
  items: StandInItem[];
}

const INFO = 'https://developer.paypal.com/docs/api/payments.payouts-batch/#errors';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const debugId = () => Math.random().toString(16).slice(2, 15).padEnd(13, '0');

export const link = (href: string, rel: string) => ({ href, rel, method: 'GET', encType: 'application/json' });

export function tokenBody(accessToken: string, appId: string, expiresIn: number) {
  return {
    scope: 'https://uri.paypal.com/payments/payouts https://uri.paypal.com/services/payments/payouts-item/reverse',
    access_token: accessToken,
    token_type: 'Bearer',
    app_id: appId,
    expires_in: expiresIn,
    nonce: `${iso(Date.now())}${debugId()}`,
  };
}

/** PayPal's batch status follows its items: PENDING at first, SUCCESS once none is still being processed. */
export function batchStatus(batch: StandInBatch): string {
  if (batch.items.every((i) => i.status !== 'PENDING')) return 'SUCCESS';
  return batch.items.some((i) => i.status !== 'PENDING') ? 'PROCESSING' : 'PENDING';
}

export function createdBody(base: string, batch: StandInBatch) {
  return {
    batch_header: {
      payout_batch_id: batch.payoutBatchId,
      batch_status: 'PENDING',
      sender_batch_header: batch.senderBatchHeader,
    },
    links: [link(`${base}/v1/payments/payouts/${batch.payoutBatchId}`, 'self')],
  };
}

function itemFields(base: string, item: StandInItem) {
  const done = item.status !== 'PENDING';
  return {
    payout_item_id: item.payoutItemId,
    ...(done ? { transaction_id: item.transactionId, activity_id: item.activityId } : {}),
    transaction_status: item.status,
    payout_item_fee: { currency: item.amount.currency, value: '0.00' },
    payout_batch_id: item.payoutBatchId,
    payout_item: {
      recipient_type: item.recipientType,
      amount: item.amount,
      ...(item.note !== undefined ? { note: item.note } : {}),
      receiver: item.receiver,
      ...(item.senderItemId !== undefined ? { sender_item_id: item.senderItemId } : {}),
      recipient_wallet: 'PAYPAL',
    },
    ...(done ? { time_processed: iso(item.changedAt) } : {}),
    ...(item.status === 'UNCLAIMED'
      ? {
          errors: {
            name: 'RECEIVER_UNREGISTERED',
            message:
              'The recipient for this payout does not have an account. A link to sign up for an account was sent to the recipient. However, if the recipient does not claim this payout within 30 days, the funds will be returned to your account.',
            information_link: INFO,
            details: [],
          },
        }
      : {}),
  };
}

export function batchBody(base: string, batch: StandInBatch) {
  const status = batchStatus(batch);
  const currency = batch.items[0]?.amount.currency ?? 'USD';
  return {
    batch_header: {
      payout_batch_id: batch.payoutBatchId,
      batch_status: status,
      time_created: iso(batch.createdAt),
      ...(status === 'SUCCESS' ? { time_completed: iso(Math.max(...batch.items.map((i) => i.changedAt))) } : {}),
      sender_batch_header: batch.senderBatchHeader,
      funding_source: 'BALANCE',
      amount: {
        currency,
        value: sumValues(
          batch.items.map((i) => i.amount.value),
          currency,
        ),
      },
      fees: { currency, value: '0.00' },
    },
    items: batch.items.map((item) => ({
      ...itemFields(base, item),
      links: [link(`${base}/v1/payments/payouts-item/${item.payoutItemId}`, 'item')],
    })),
    links: [link(`${base}/v1/payments/payouts/${batch.payoutBatchId}?page_size=1000&page=1`, 'self')],
  };
}

export function itemBody(base: string, item: StandInItem) {
  return {
    ...itemFields(base, item),
    sender_batch_id: item.senderBatchId,
    links: [
      link(`${base}/v1/payments/payouts-item/${item.payoutItemId}`, 'self'),
      link(`${base}/v1/payments/payouts/${item.payoutBatchId}`, 'batch'),
    ],
  };
}

export const errors = {
  duplicate: (base: string, payoutBatchId: string) => ({
    name: 'USER_BUSINESS_ERROR',
    message: 'User business error.',
    debug_id: debugId(),
    information_link: INFO,
    details: [
      {
        field: 'SENDER_BATCH_ID',
        location: 'body',
        issue: 'Batch with given sender_batch_id already exists',
        link: [link(`${base}/v1/payments/payouts/${payoutBatchId}`, 'self')],
      },
    ],
    links: [],
  }),
  insufficientFunds: () => ({
    name: 'INSUFFICIENT_FUNDS',
    message: 'Sender does not have sufficient funds. Please add funds and retry.',
    debug_id: debugId(),
    information_link: INFO,
    links: [],
  }),
  validation: (details: { field: string; issue: string }[]) => ({
    name: 'VALIDATION_ERROR',
    message: 'Invalid request - see details',
    debug_id: debugId(),
    information_link: INFO,
    details: details.map((d) => ({ ...d, location: 'body' })),
    links: [],
  }),
  notFound: () => ({
    name: 'RESOURCE_NOT_FOUND',
    message: 'The specified resource does not exist.',
    debug_id: debugId(),
    information_link: INFO,
  }),
  internal: () => ({
    name: 'INTERNAL_SERVER_ERROR',
    message: 'An internal server error occurred.',
    debug_id: debugId(),
    links: [
      {
        href: 'https://developer.paypal.com/api/rest/reference/orders/v2/errors/#INTERNAL_SERVER_ERROR',
        rel: 'information_link',
      },
    ],
  }),
  invalidClient: () => ({ error: 'invalid_client', error_description: 'Client Authentication failed' }),
  invalidToken: () => ({ error: 'invalid_token', error_description: 'Access Token not found in cache' }),
};

/** Currencies PayPal takes without decimals. */
const NO_DECIMALS = new Set(['HUF', 'JPY', 'TWD']);
export const decimalsOf = (currency: string) => (NO_DECIMALS.has(currency) ? 0 : 2);

/** `"12.30"` → 1230n: exact, by string, never through a float. */
export function toMinor(value: string, currency: string): bigint {
  const digits = decimalsOf(currency);
  const [whole = '0', frac = ''] = value.split('.');
  return BigInt(whole) * 10n ** BigInt(digits) + BigInt((frac + '0'.repeat(digits)).slice(0, digits) || '0');
}

export function fromMinor(minor: bigint, currency: string): string {
  const digits = decimalsOf(currency);
  if (digits === 0) return minor.toString();
  const s = minor.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

function sumValues(values: string[], currency: string): string {
  return fromMinor(
    values.reduce((sum, v) => sum + toMinor(v, currency), 0n),
    currency,
  );
}
