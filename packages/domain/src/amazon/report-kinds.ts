/**
 * The Amazon reports a brand uploads, recognised by their header (case, spaces and punctuation ignored), with
 * the columns we read. Columns from Amazon's documentation:
 * - FBA customer returns (`GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA`, tab-separated): return-date, order-id, sku,
 *   asin, fnsku, product-name, quantity, fulfillment-center-id, detailed-disposition, reason, status,
 *   license-plate-number, customer-comments.
 * - Seller-fulfilled returns (`GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE`): Order ID, Order date, Return request
 *   date, Return request status, Amazon RMA ID, …, ASIN, Merchant SKU, Item Name, Return quantity, …, Order
 *   Amount, Order quantity, …, Refunded Amount.
 * - All orders by order date (`GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL`, tab-separated):
 *   amazon-order-id, merchant-order-id, purchase-date, last-updated-date, order-status, …, sku, asin, item-status,
 *   quantity, currency, item-price, item-tax, ….
 */
export type ReportKind = 'fba_returns' | 'seller_returns' | 'all_orders';

export const REPORT_LABELS: Record<ReportKind, string> = {
  fba_returns: 'FBA customer returns report',
  seller_returns: 'seller-fulfilled returns report',
  all_orders: 'all-orders report',
};

/** A column we read: its normalised names (first is the documented one) and whether a file must have it. */
export interface ColumnSpec {
  names: readonly string[];
  label: string;
  required: boolean;
}

export const normaliseHeader = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const col = (label: string, required: boolean, ...aliases: string[]): ColumnSpec => ({
  names: [normaliseHeader(label), ...aliases.map(normaliseHeader)],
  label,
  required,
});

export const REPORT_COLUMNS = {
  fba_returns: {
    returnDate: col('return-date', true),
    orderId: col('order-id', true, 'amazon-order-id'),
    asin: col('asin', true),
    quantity: col('quantity', true),
    disposition: col('detailed-disposition', true),
  },
  seller_returns: {
    orderId: col('Order ID', true),
    orderDate: col('Order date', true),
    returnDate: col('Return request date', true),
    asin: col('ASIN', false),
    quantity: col('Return quantity', false),
  },
  all_orders: {
    orderId: col('amazon-order-id', true),
    purchaseDate: col('purchase-date', true),
    orderStatus: col('order-status', true),
    asin: col('asin', true),
    itemStatus: col('item-status', false),
    quantity: col('quantity', true),
    currency: col('currency', true),
    itemPrice: col('item-price', true),
  },
} as const satisfies Record<ReportKind, Record<string, ColumnSpec>>;

export type ColumnsOf<K extends ReportKind> = keyof (typeof REPORT_COLUMNS)[K];

/** Where each column we read sits in the header, or the columns a kind misses. */
export function locateColumns(
  kind: ReportKind,
  header: readonly string[],
): { ok: true; at: Record<string, number> } | { ok: false; missing: string[] } {
  const names = header.map(normaliseHeader);
  const at: Record<string, number> = {};
  const missing: string[] = [];
  for (const [field, spec] of Object.entries<ColumnSpec>(REPORT_COLUMNS[kind])) {
    const index = names.findIndex((n) => spec.names.includes(n));
    if (index >= 0) at[field] = index;
    else if (spec.required) missing.push(spec.label);
  }
  return missing.length ? { ok: false, missing } : { ok: true, at };
}

/** The kind a header belongs to: the one with every required column (kinds do not share a required set). */
export function recogniseReport(header: readonly string[]): ReportKind | null {
  for (const kind of Object.keys(REPORT_COLUMNS) as ReportKind[]) if (locateColumns(kind, header).ok) return kind;
  return null;
}

/** "FBA customer returns report (return-date, order-id, …)" for the kinds a route accepts. */
export const describeKinds = (kinds: readonly ReportKind[]): string =>
  kinds
    .map((k) => {
      const required = Object.values(REPORT_COLUMNS[k] as Record<string, ColumnSpec>).filter((c) => c.required);
      return `the ${REPORT_LABELS[k]} (${required.map((c) => c.label).join(', ')})`;
    })
    .join(' or ');
