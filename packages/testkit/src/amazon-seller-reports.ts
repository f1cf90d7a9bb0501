/**
 * Amazon seller reports as a seller downloads them, written from their documented columns with the quirks of
 * real downloads: tab separation, a BOM, CRLF line ends, a blank trailing column, dates with offsets.
 * (FBA customer returns: GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA; seller-fulfilled returns:
 * GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE; all orders: GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL.)
 */
const FBA_RETURNS = [
  'return-date',
  'order-id',
  'sku',
  'asin',
  'fnsku',
  'product-name',
  'quantity',
  'fulfillment-center-id',
  'detailed-disposition',
  'reason',
  'status',
  'license-plate-number',
  'customer-comments',
];
const SELLER_RETURNS = [
  'Order ID',
  'Order date',
  'Return request date',
  'Return request status',
  'Amazon RMA ID',
  'Merchant RMA ID',
  'Label type',
  'Label cost',
  'Currency code',
  'Return carrier',
  'Tracking ID',
  'Label to be paid by',
  'A-to-Z Claim',
  'Is prime',
  'ASIN',
  'Merchant SKU',
  'Item Name',
  'Return quantity',
  'Return Reason',
  'In policy',
  'Return type',
  'Resolution',
  'Invoice number',
  'Return delivery date',
  'Order Amount',
  'Order quantity',
  'SafeT Action reason',
  'SafeT claim id',
  'SafeT claim state',
  'SafeT claim creation time',
  'SafeT claim reimbursement amount',
  'Refunded Amount',
];
const ALL_ORDERS = [
  'amazon-order-id',
  'merchant-order-id',
  'purchase-date',
  'last-updated-date',
  'order-status',
  'fulfillment-channel',
  'sales-channel',
  'order-channel',
  'ship-service-level',
  'product-name',
  'sku',
  'asin',
  'item-status',
  'quantity',
  'currency',
  'item-price',
  'item-tax',
  'shipping-price',
  'shipping-tax',
  'gift-wrap-price',
  'gift-wrap-tax',
  'item-promotion-discount',
  'ship-promotion-discount',
  'ship-city',
  'ship-state',
  'ship-postal-code',
  'ship-country',
  'promotion-ids',
  'cpf',
  'is-business-order',
  'purchase-order-number',
  'price-designation',
];

const PRODUCT = 'Glow Serum 30 ml "travel" size';

function file(
  header: string[],
  rows: Record<string, string>[],
  o: { bom: boolean; eol: string; trailingTab: boolean },
): string {
  const line = (cells: string[]) => cells.join('\t') + (o.trailingTab ? '\t' : '') + o.eol;
  return (o.bom ? '\ufeff' : '') + line(header) + rows.map((r) => line(header.map((h) => r[h] ?? ''))).join('');
}

export function fbaReturnsReport(
  rows: { orderId: string; returnDate?: string; asin?: string; quantity?: number }[],
): string {
  return file(
    FBA_RETURNS,
    rows.map((r) => ({
      'return-date': r.returnDate ?? '2026-12-01T09:12:44+00:00',
      'order-id': r.orderId,
      sku: 'GLOW-SERUM-30',
      asin: r.asin ?? 'B0CX7Q2M1N',
      fnsku: 'X003ABC12D',
      'product-name': PRODUCT,
      quantity: String(r.quantity ?? 1),
      'fulfillment-center-id': 'PHX7',
      'detailed-disposition': 'SELLABLE',
      reason: 'UNWANTED_ITEM',
      status: 'Unit returned to inventory',
      'license-plate-number': 'LPNRR123456789',
    })),
    { bom: true, eol: '\r\n', trailingTab: true },
  );
}

export function sellerReturnsReport(
  rows: { orderId: string; orderDate?: string; returnDate?: string; refunded?: string }[],
): string {
  return file(
    SELLER_RETURNS,
    rows.map((r) => ({
      'Order ID': r.orderId,
      'Order date': r.orderDate ?? '21-Nov-2026',
      'Return request date': r.returnDate ?? '2026-12-02T10:00:00-05:00',
      'Return request status': 'Approved',
      'Amazon RMA ID': 'DkVx1Qp7RRMA',
      'Currency code': 'USD',
      ASIN: 'B0CX7Q2M1N',
      'Merchant SKU': 'GLOW-SERUM-30',
      'Item Name': PRODUCT,
      'Return quantity': '1',
      'Return Reason': 'CR-UNWANTED_ITEM',
      'Order Amount': r.refunded ?? '24.99',
      'Order quantity': '1',
      'Refunded Amount': r.refunded ?? '24.99',
    })),
    { bom: true, eol: '\r\n', trailingTab: false },
  );
}

export function allOrdersReport(
  rows: {
    orderId: string;
    asin?: string;
    price?: string;
    currency?: string;
    status?: string;
    itemStatus?: string;
    purchaseDate?: string;
    quantity?: number;
  }[],
): string {
  return file(
    ALL_ORDERS,
    rows.map((r) => {
      const pending = (r.status ?? 'Shipped') === 'Pending';
      return {
        'amazon-order-id': r.orderId,
        'purchase-date': r.purchaseDate ?? '2026-11-25T18:22:31+00:00',
        'last-updated-date': r.purchaseDate ?? '2026-11-26T02:10:00+00:00',
        'order-status': r.status ?? 'Shipped',
        'fulfillment-channel': 'Amazon',
        'sales-channel': 'Amazon.com',
        'ship-service-level': 'Expedited',
        'product-name': PRODUCT,
        sku: 'GLOW-SERUM-30',
        asin: r.asin ?? 'B0CX7Q2M1N',
        'item-status': r.itemStatus ?? (pending ? 'Unshipped' : 'Shipped'),
        quantity: String(r.quantity ?? 1),
        currency: pending ? '' : (r.currency ?? 'USD'),
        'item-price': pending ? '' : (r.price ?? '24.99'),
        'item-tax': pending ? '' : '2.06',
        'ship-city': 'SEATTLE',
        'ship-state': 'WA',
        'ship-postal-code': '98109-1234',
        'ship-country': 'US',
        'is-business-order': 'false',
      };
    }),
    { bom: false, eol: '\n', trailingTab: false },
  );
}
