import {
  payPalBatch,
  payPalCreated,
  verdictOfBatchStatus,
  verdictOfItemStatus,
  type PayPalItem,
} from '@seedline/domain';
import { PayPalHttpError, type PayPalClient } from './paypal.client.js';
import {
  InsufficientFundsError,
  ProviderUnavailableError,
  type AttemptStatus,
  type PayoutOrder,
  type PayoutProvider,
} from './provider.js';

/** The payout id in a HATEOAS link to `/v1/payments/payouts/{id}`: only the id is taken, the host never followed. */
const PAYOUT_LINK = /\/v1\/payments\/payouts\/([A-Za-z0-9_-]{1,64})(?:[?#]|$)/;
/** Error names that say the request was refused as it stood: nothing was created. */
const REFUSED = new Set(['VALIDATION_ERROR', 'INVALID_REQUEST', 'MALFORMED_REQUEST', 'UNPROCESSABLE_ENTITY']);

/**
 * PayPal Payouts API v1 (developer.paypal.com/docs/api/payments.payouts-batch/v1/): one batch of one item per
 * attempt, `sender_batch_header.sender_batch_id` = the attempt's key. PayPal completes a payment only once per
 * `sender_batch_id` within 30 days and refuses a repeat with a link to the original payout, so a resend after a
 * timeout, a 5xx or a crash either makes the payout or finds it.
 */
export class PayPalProvider implements PayoutProvider {
  readonly name = 'paypal';

  constructor(private readonly client: PayPalClient) {}

  async submit(order: PayoutOrder): Promise<AttemptStatus> {
    try {
      const created = await this.client.request('POST', '/v1/payments/payouts', payPalCreated, {
        sender_batch_header: {
          sender_batch_id: order.key,
          recipient_type: 'EMAIL',
          email_subject: 'You have a reimbursement',
          email_message: order.note,
        },
        items: [
          {
            recipient_type: 'EMAIL',
            amount: { value: order.amount, currency: order.currency },
            receiver: order.receiver,
            note: order.note,
            sender_item_id: order.reimbursementId,
          },
        ],
      });
      const batchId = created.batch_header.payout_batch_id;
      const denied = verdictOfBatchStatus(created.batch_header.batch_status);
      if (denied?.kind === 'failed') return { kind: 'failed', batchId, reason: denied.reason };
      return { kind: 'in_flight', batchId, status: created.batch_header.batch_status };
    } catch (err) {
      if (!(err instanceof PayPalHttpError)) throw err;
      const original = duplicateOf(err);
      if (original) return this.check(original, order);
      if (looksLikeDuplicate(err)) {
        // The key was used, but PayPal gave no link to follow: never taken as a failure (a new attempt could pay
        // twice); retried until PayPal answers with the link.
        throw new ProviderUnavailableError('PayPal refused a duplicate sender_batch_id without a link to the original');
      }
      if (isInsufficientFunds(err)) throw new InsufficientFundsError(err.body.debug_id);
      const name = err.body.name ?? '';
      if ((err.status === 400 || err.status === 422) && REFUSED.has(name)) {
        return { kind: 'failed', reason: `paypal_${name.toLowerCase()}` };
      }
      throw new ProviderUnavailableError(err.message);
    }
  }

  async check(batchId: string, order: Pick<PayoutOrder, 'reimbursementId'>): Promise<AttemptStatus> {
    let batch;
    try {
      batch = await this.client.request('GET', `/v1/payments/payouts/${encodeURIComponent(batchId)}`, payPalBatch);
    } catch (err) {
      if (err instanceof PayPalHttpError) throw new ProviderUnavailableError(`${err.message} for payout ${batchId}`);
      throw err;
    }
    const items = batch.items ?? [];
    const item: PayPalItem | undefined =
      items.find((i) => i.payout_item?.sender_item_id === order.reimbursementId) ??
      (items.length === 1 ? items[0] : undefined);
    const status = batch.batch_header.batch_status;
    if (!item) {
      const denied = verdictOfBatchStatus(status);
      if (denied?.kind === 'failed') return { kind: 'failed', batchId, reason: denied.reason };
      return { kind: 'in_flight', batchId, status };
    }
    const itemId = item.payout_item_id;
    const verdict = verdictOfItemStatus(item.transaction_status);
    if (verdict.kind === 'paid') {
      return { kind: 'paid', batchId, itemId, reference: item.transaction_id ?? itemId };
    }
    if (verdict.kind === 'failed') return { kind: 'failed', batchId, itemId, reason: verdict.reason };
    return { kind: 'in_flight', batchId, itemId, status: verdict.status };
  }
}

/** The original payout a duplicate `sender_batch_id` was refused in favour of, from the error's links. */
export function duplicateOf(err: PayPalHttpError): string | undefined {
  if (err.status !== 400 || !looksLikeDuplicate(err)) return undefined;
  const links = [...(err.body.details ?? []).flatMap((d) => d.link ?? []), ...(err.body.links ?? [])];
  for (const l of links) {
    const m = PAYOUT_LINK.exec(l.href);
    if (m) return m[1];
  }
  return undefined;
}

function looksLikeDuplicate(err: PayPalHttpError): boolean {
  if (err.status !== 400) return false;
  const details = err.body.details ?? [];
  return (
    err.body.name === 'USER_BUSINESS_ERROR' ||
    details.some((d) => d.field?.toUpperCase() === 'SENDER_BATCH_ID' || /sender_batch_id/i.test(d.issue ?? ''))
  );
}

function isInsufficientFunds(err: PayPalHttpError): boolean {
  return (
    err.body.name === 'INSUFFICIENT_FUNDS' || (err.body.details ?? []).some((d) => d.issue === 'INSUFFICIENT_FUNDS')
  );
}
