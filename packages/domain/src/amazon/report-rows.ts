import { checkAmount, checkCount, checkOrderId, checkReportDate, currencyDigits, type Check } from './report-values.js';

/** A row of either returns report: who returned what, when. */
export interface ReturnRow {
  line: number;
  /** null where Amazon had none to give (the FBA report's order-id is "if available") */
  orderId: string | null;
  asin: string | null;
  quantity: number;
  /** the calendar date Amazon wrote, and the instant when it carries a time and zone */
  returnedOn: string;
  returnedAt: string | null;
}

/** A row (an item of an order) of the all-orders report. */
export interface OrderRow {
  line: number;
  orderId: string;
  asin: string;
  quantity: number;
  purchasedOn: string;
  purchasedAt: string | null;
  orderStatus: string;
  itemStatus: string;
  /** `item-price` in minor units of `currency`: what Amazon charged for the line; null while an order is pending */
  price: { currency: string; minor: number } | null;
}

export interface RowIssue {
  path: string;
  message: string;
}

/** Reads the cells of one row by field, collecting an issue per bad value (`line 7.order-id`). */
export class RowCells {
  readonly issues: RowIssue[] = [];
  constructor(
    private readonly line: number,
    private readonly cells: readonly string[],
    private readonly at: Record<string, number>,
    private readonly header: readonly string[],
  ) {}

  text(field: string): string {
    const index = this.at[field];
    return index === undefined ? '' : (this.cells[index] ?? '').trim();
  }

  check<T>(field: string, checker: (text: string) => Check<T>): T | null {
    const result = checker(this.text(field));
    if (result.ok) return result.value;
    this.issue(field, result.message);
    return null;
  }

  issue(field: string, message: string): void {
    const column = this.header[this.at[field] ?? -1] ?? field;
    this.issues.push({ path: `line ${this.line}.${column}`, message });
  }
}

const required = (check: (t: string) => Check<string>) => (t: string) =>
  t === '' ? ({ ok: false, message: 'is empty' } as const) : check(t);
const asIs = (t: string): Check<string> => ({ ok: true, value: t });

export function buildReturnRow(line: number, r: RowCells, kind: 'fba_returns' | 'seller_returns'): ReturnRow | null {
  const rawOrder = r.text('orderId');
  const orderId = kind === 'fba_returns' && rawOrder === '' ? null : r.check('orderId', checkOrderId);
  const quantityText = r.text('quantity');
  const quantity = quantityText === '' && kind === 'seller_returns' ? 1 : r.check('quantity', checkCount);
  const returned = r.check('returnDate', checkReportDate);
  if (kind === 'seller_returns') r.check('orderDate', checkReportDate);
  if (r.issues.length || quantity === null || returned === null || (orderId === null && rawOrder !== '')) return null;
  return {
    line,
    orderId,
    asin: r.text('asin') || null,
    quantity,
    returnedOn: returned.date,
    returnedAt: returned.at,
  };
}

export function buildOrderRow(line: number, r: RowCells): OrderRow | null {
  const orderId = r.check('orderId', checkOrderId);
  const asin = r.check('asin', required(asIs));
  const quantity = r.check('quantity', checkCount);
  const purchased = r.check('purchaseDate', checkReportDate);
  const orderStatus = r.text('orderStatus');
  const currency = r.text('currency');
  const priceText = r.text('itemPrice');
  let price: OrderRow['price'] = null;
  if (priceText !== '' || currency !== '') {
    const digits = currencyDigits(currency);
    if (digits === null) r.issue('currency', `"${currency.slice(0, 10)}" is not an ISO 4217 currency code`);
    else {
      const minor = r.check('itemPrice', (t) => checkAmount(t, digits));
      if (minor !== null) price = { currency, minor };
    }
  }
  if (r.issues.length || orderId === null || asin === null || quantity === null || purchased === null) return null;
  return {
    line,
    orderId,
    asin,
    quantity,
    purchasedOn: purchased.date,
    purchasedAt: purchased.at,
    orderStatus,
    itemStatus: r.text('itemStatus'),
    price,
  };
}
