import { describe, expect, it } from 'vitest';
import { owedAmount, priceAt, type ReimbursementTerms } from './owed.js';

const terms: ReimbursementTerms = { price: 2000, shipping: 600, taxRatePpm: 82500, bonus: 500, currency: 'USD' };

describe('owedAmount', () => {
  it('pays what was paid, up to price + shipping + tax, plus the bonus', () => {
    // tax = 2600 × 0.0825 = 214.5 → 215; cap 2815
    expect(owedAmount(terms, 2000, 2815)).toMatchObject({ tax: 215, cap: 2815, amount: 3315 });
    expect(owedAmount(terms, 2000, 9999)).toMatchObject({ amount: 3315 });
    expect(owedAmount(terms, 2000, 1999)).toMatchObject({ amount: 2499 });
    expect(owedAmount(terms, 2000, 0)).toMatchObject({ amount: 500 });
  });
  it('uses the price it is given (the one in force at the click)', () => {
    expect(owedAmount({ ...terms, taxRatePpm: 0, shipping: 0, bonus: 0 }, 1500, 2000).amount).toBe(1500);
  });
});

describe('priceAt', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const history = [
    { price: 1000, from: t(10) },
    { price: 1200, from: t(20) },
    { price: 900, from: t(30) },
  ];
  it('takes the last price set at or before the moment', () => {
    expect(priceAt(history, t(10))).toBe(1000);
    expect(priceAt(history, t(25))).toBe(1200);
    expect(priceAt(history, t(30))).toBe(900);
    expect(priceAt(history, t(99))).toBe(900);
  });
  it('takes the first price before any was set, and null without any', () => {
    expect(priceAt(history, t(0))).toBe(1000);
    expect(priceAt([], t(0))).toBeNull();
  });
});
