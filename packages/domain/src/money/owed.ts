import { applyRate } from './amount.js';

/** A campaign's reimbursement terms in minor units (taxRate in millionths), as stored. */
export interface ReimbursementTerms {
  price: number;
  shipping: number;
  taxRatePpm: number;
  bonus: number;
  currency: string;
}

export interface PricePoint {
  /** minor units */
  price: number;
  /** when this price came into force */
  from: Date;
}

export interface OwedBreakdown {
  price: number;
  shipping: number;
  tax: number;
  /** price + shipping + tax: the most a purchase is reimbursed */
  cap: number;
  paid: number;
  bonus: number;
  /** min(paid, cap) + bonus */
  amount: number;
}

/**
 * What an influencer is owed: min(paid, price + shipping + tax) + bonus, where tax = (price + shipping) ×
 * taxRate rounded half-up to the minor unit, once (never per part, never again on the sum).
 */
export function owedAmount(terms: ReimbursementTerms, price: number, paid: number): OwedBreakdown {
  const base = price + terms.shipping;
  const tax = applyRate(base, terms.taxRatePpm);
  const cap = base + tax;
  return {
    price,
    shipping: terms.shipping,
    tax,
    cap,
    paid,
    bonus: terms.bonus,
    amount: Math.min(paid, cap) + terms.bonus,
  };
}

/**
 * The price in force at `at`: the last one set at or before it. A moment before the first entry (a click
 * recorded before the campaign had terms) takes the first price.
 */
export function priceAt(history: readonly PricePoint[], at: Date): number | null {
  let found: PricePoint | undefined;
  for (const point of history) {
    if (point.from.getTime() <= at.getTime() && (!found || point.from.getTime() >= found.from.getTime())) found = point;
  }
  return (found ?? history[0])?.price ?? null;
}
