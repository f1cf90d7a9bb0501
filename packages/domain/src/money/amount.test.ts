import { describe, expect, it } from 'vitest';
import { applyRate, formatMoney, formatRate, MAX_MINOR, parseMoney, parseRate } from './amount.js';
import { currencyMinorDigits, isCurrency } from './currency.js';

const minor = (text: unknown, currency = 'USD') => {
  const r = parseMoney(text, currency);
  return r.ok ? r.minor : r.message;
};

describe('parseMoney', () => {
  it('reads decimal strings into exact minor units', () => {
    expect(minor('24.99')).toBe(2499);
    expect(minor('24.9')).toBe(2490);
    expect(minor('24')).toBe(2400);
    expect(minor('0')).toBe(0);
    expect(minor('0.01')).toBe(1);
    expect(minor('1000000000.00')).toBe(MAX_MINOR);
    expect(minor('2499', 'JPY')).toBe(2499);
    expect(minor('1.234', 'KWD')).toBe(1234);
  });
  it('refuses exponents, signs, excess digits, huge values, padding and non-strings', () => {
    for (const bad of ['1e3', '-5', '+5', '12.345', '5.', '.5', ' 5', '5 ', '05', '1,000', 'NaN', 'Infinity', '']) {
      expect(typeof minor(bad), bad).toBe('string');
    }
    expect(minor('1000000000.01')).toMatch(/at most/);
    expect(minor('99999999999999999999999')).toMatch(/at most/);
    expect(minor('9'.repeat(400))).toMatch(/decimal string/);
    expect(minor(12.5)).toMatch(/decimal string/);
    expect(minor('1.5', 'JPY')).toMatch(/0 decimal places/);
    expect(minor('1.2345', 'KWD')).toMatch(/3 decimal places/);
  });
  it('adds exactly where floats do not', () => {
    expect(formatMoney((minor('0.1') as number) + (minor('0.2') as number), 'USD')).toBe('0.30');
  });
});

describe('formatMoney', () => {
  it('writes the currency digits', () => {
    expect(formatMoney(2499, 'USD')).toBe('24.99');
    expect(formatMoney(5, 'USD')).toBe('0.05');
    expect(formatMoney(0, 'EUR')).toBe('0.00');
    expect(formatMoney(2499, 'JPY')).toBe('2499');
    expect(formatMoney(1234, 'KWD')).toBe('1.234');
    expect(formatMoney(-150, 'USD')).toBe('-1.50');
    expect(() => formatMoney(1.5, 'USD')).toThrow();
  });
  it('round-trips every amount it writes', () => {
    for (const n of [0, 1, 9, 10, 99, 100, 101, 123456789, MAX_MINOR]) expect(minor(formatMoney(n, 'USD'))).toBe(n);
  });
});

describe('currencies', () => {
  it('knows ISO 4217 digits and refuses the rest', () => {
    expect(currencyMinorDigits('USD')).toBe(2);
    expect(currencyMinorDigits('JPY')).toBe(0);
    expect(currencyMinorDigits('BHD')).toBe(3);
    expect(isCurrency('usd')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
    expect(() => parseMoney('1', 'XYZ')).toThrow();
  });
});

describe('rates and rounding', () => {
  it('parses fractions to millionths', () => {
    expect(parseRate('0.0825')).toEqual({ ok: true, ppm: 82500 });
    expect(parseRate('1')).toEqual({ ok: true, ppm: 1_000_000 });
    expect(parseRate('0')).toEqual({ ok: true, ppm: 0 });
    for (const bad of ['1.5', '-0.1', '0.1234567', '8.25%', '1e-2', '.5', 0.1])
      expect(parseRate(bad).ok, String(bad)).toBe(false);
    expect(formatRate(82500)).toBe('0.0825');
    expect(formatRate(1_000_000)).toBe('1');
    expect(formatRate(0)).toBe('0');
  });
  it('rounds half-up once, to the minor unit', () => {
    expect(applyRate(2600, 82500)).toBe(215); // 214.5 → 215
    expect(applyRate(2599, 82500)).toBe(214); // 214.4175 → 214
    expect(applyRate(1000, 50_000)).toBe(50);
    expect(applyRate(1, 500_000)).toBe(1); // 0.5 → 1
    expect(applyRate(1, 499_999)).toBe(0);
    expect(applyRate(MAX_MINOR, 1_000_000)).toBe(MAX_MINOR);
  });
});
