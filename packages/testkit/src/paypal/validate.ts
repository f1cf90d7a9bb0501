import { decimalsOf } from './shapes.js';

export interface CreateItem {
  recipient_type: string;
  amount: { value: string; currency: string };
  receiver: string;
  note: string | undefined;
  sender_item_id: string | undefined;
}

type Checked =
  { header: Record<string, unknown>; items: CreateItem[] } | { problems: { field: string; issue: string }[] };

const RECIPIENT_TYPES = new Set(['EMAIL', 'PHONE', 'PAYPAL_ID']);
const VALUE = /^\d{1,12}(\.\d{1,3})?$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The checks PayPal's create call documents (schema `create_payout_request`): a `sender_batch_header`,
 * 1–15,000 items, each with an `amount` (`value` a decimal string with the currency's digits, `currency` ISO 4217),
 * a `receiver` of at most 127 characters and a `recipient_type`, from the item or from the header.
 */
export function validateCreate(body: unknown): Checked {
  const problems: { field: string; issue: string }[] = [];
  if (!isObject(body)) return { problems: [{ field: '/', issue: 'MALFORMED_REQUEST_JSON' }] };
  const header = body.sender_batch_header;
  if (!isObject(header)) return { problems: [{ field: '/sender_batch_header', issue: 'REQUIRED_FIELD_MISSING' }] };
  const batchId = header.sender_batch_id;
  if (batchId !== undefined && (typeof batchId !== 'string' || batchId.length > 256)) {
    problems.push({ field: '/sender_batch_header/sender_batch_id', issue: 'INVALID_PARAMETER_SYNTAX' });
  }
  const rawItems = body.items;
  if (!Array.isArray(rawItems) || rawItems.length < 1 || rawItems.length > 15_000) {
    return { problems: [{ field: '/items', issue: 'INVALID_ARRAY_LENGTH' }] };
  }
  const items: CreateItem[] = [];
  rawItems.forEach((raw: unknown, i) => {
    const at = `/items/${i}`;
    if (!isObject(raw)) return problems.push({ field: at, issue: 'INVALID_PARAMETER_SYNTAX' });
    const type = raw.recipient_type ?? header.recipient_type ?? 'EMAIL';
    if (typeof type !== 'string' || !RECIPIENT_TYPES.has(type)) {
      problems.push({ field: `${at}/recipient_type`, issue: 'INVALID_PARAMETER_VALUE' });
    }
    const amount = raw.amount;
    const currency = isObject(amount) ? amount.currency : undefined;
    const value = isObject(amount) ? amount.value : undefined;
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      problems.push({ field: `${at}/amount/currency`, issue: 'INVALID_CURRENCY_CODE' });
    } else if (
      typeof value !== 'string' ||
      !VALUE.test(value) ||
      (value.split('.')[1] ?? '').length > decimalsOf(currency) ||
      /^[0.]+$/.test(value)
    ) {
      problems.push({ field: `${at}/amount/value`, issue: 'INVALID_AMOUNT' });
    }
    const receiver = raw.receiver;
    if (typeof receiver !== 'string' || receiver.length < 1 || receiver.length > 127) {
      problems.push({ field: `${at}/receiver`, issue: 'REQUIRED_FIELD_MISSING' });
    } else if (type === 'EMAIL' && !EMAIL.test(receiver)) {
      problems.push({ field: `${at}/receiver`, issue: 'INVALID_EMAIL' });
    }
    const note = typeof raw.note === 'string' ? raw.note : undefined;
    const senderItemId = typeof raw.sender_item_id === 'string' ? raw.sender_item_id : undefined;
    items.push({
      recipient_type: typeof type === 'string' ? type : '',
      amount: { value: String(value), currency: String(currency) },
      receiver: String(receiver),
      note,
      sender_item_id: senderItemId,
    });
  });
  return problems.length ? { problems } : { header, items };
}
