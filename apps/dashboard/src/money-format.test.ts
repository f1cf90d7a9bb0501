import { describe, expect, it } from 'vitest';
import { formatAmount, reimbursementLabel } from './money-format.js';

/** The page formats in the browser's locale: the expectations allow for where a locale puts the symbol. */
const shown = (amount: string | null, currency: string) => formatAmount(amount, currency).replace(/\u00a0/g, ' ');

describe('formatAmount', () => {
  it('formats decimal strings with their currency', () => {
    expect(shown('24.99', 'USD')).toMatch(/^\$24\.99$|^24\.99 \$$|^US\$24\.99$/);
    expect(shown('0.00', 'EUR')).toMatch(/0[.,]00/);
  });

  it('keeps every digit of an amount a float would round', () => {
    // 2^53 + 1 and then some: as a number this prints 9007199254740992.
    expect(shown('9007199254740993.01', 'USD').replace(/[^0-9.]/g, '')).toBe('9007199254740993.01');
  });

  it('shows a dash for no amount, and the API’s own text for what is not a plain decimal or a known currency', () => {
    expect(shown(null, 'USD')).toBe('—');
    expect(shown('1e3', 'USD')).toBe('1e3 USD');
    expect(shown('12.00', 'NOPE')).toBe('12.00 NOPE');
  });

  it('names each state, and passes an unknown one through', () => {
    expect(reimbursementLabel('pending_review')).toBe('To review');
    expect(reimbursementLabel('returned')).toBe('Returned');
    expect(reimbursementLabel('something_new')).toBe('something_new');
  });
});
