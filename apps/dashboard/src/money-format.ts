import type { ReimbursementState } from './types.js';

/** What a brand reads for each reimbursement state (the API's names stay in `data-state` for scripts and tests). */
export const REIMBURSEMENT_LABELS: Record<ReimbursementState, string> = {
  awaiting_proof: 'Awaiting proof',
  pending_review: 'To review',
  approved: 'Approved',
  sending: 'Sending',
  paid: 'Paid',
  held: 'Held',
  rejected: 'Rejected',
  failed: 'Failed',
  returned: 'Returned',
};

export const reimbursementLabel = (state: string): string => REIMBURSEMENT_LABELS[state as ReimbursementState] ?? state;

const formats = new Map<string, Intl.NumberFormat | null>();
function currencyFormat(currency: string): Intl.NumberFormat | null {
  let format = formats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      format = null; // a code this browser does not know: shown as the API sent it
    }
    formats.set(currency, format);
  }
  return format;
}

/**
 * A decimal string from the API (`"24.99"`) in the brand's locale, with its currency. The string goes to
 * Intl as a string, never through a float, so the digits shown are the ledger's own.
 */
export function formatAmount(amount: string | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '—';
  const format = currencyFormat(currency);
  return format && /^-?\d{1,20}(?:\.\d{1,6})?$/.test(amount)
    ? format.format(amount as `${number}`)
    : `${amount} ${currency}`;
}
