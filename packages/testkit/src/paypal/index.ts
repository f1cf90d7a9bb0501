import { PayPalStandIn, type LedgerItem } from './standin.js';

export { PayPalStandIn, DEFAULT_FAULTS, type PayPalFaults, type LedgerItem, type PayPalCalls } from './standin.js';
export { TRANSACTION_STATUSES, MONEY_OUT, type TransactionStatus } from './shapes.js';

/** A stand-in on a free loopback port, for one test file. */
export async function startPayPalStandIn(): Promise<PayPalStandIn> {
  const standIn = new PayPalStandIn();
  await standIn.listen(0);
  return standIn;
}

/**
 * What tests assert about money: per reimbursement (the `sender_item_id` our client sends), how many payouts
 * still hold money (sent and not come back). More than one is a reimbursement paid twice.
 */
export function moneyOutBySenderItem(ledger: LedgerItem[]): Map<string, LedgerItem[]> {
  const out = new Map<string, LedgerItem[]>();
  for (const item of ledger) {
    if (!item.moneyOut) continue;
    const key = item.senderItemId ?? item.payoutItemId;
    out.set(key, [...(out.get(key) ?? []), item]);
  }
  return out;
}
