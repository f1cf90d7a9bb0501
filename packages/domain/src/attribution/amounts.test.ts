import { describe, expect, it } from 'vitest';
import { findDayRange, parseAmount, parseCount, parseDay } from './amounts.js';

const value = <T>(p: { ok: true; value: T } | { ok: false; message: string }) =>
  p.ok ? p.value : `error: ${p.message}`;

describe('parseAmount', () => {
  it.each([
    ['191.95999999999998', 191.95999999999998],
    ['$1,179.94', 1179.94],
    ['"$1,179.94"'.slice(1, -1), 1179.94],
    ['1,057', 1057],
    ['12,345,678.5', 12345678.5],
    ['1.179,94 €', 1179.94],
    ['12,5', 12.5],
    ['US$ 29.99', 29.99],
    ['EUR 4.50', 4.5],
    ['29.99 USD', 29.99],
    ['1 179,94', 1179.94],
    ['0', 0],
    [' 7 ', 7],
    [3.5, 3.5],
  ])('%s → %s', (raw, expected) => {
    expect(value(parseAmount(raw))).toBe(expected);
  });

  it('reads blank cells as no figure', () => {
    for (const raw of ['', ' ', '-', '—', 'N/A']) expect(value(parseAmount(raw))).toBeNull();
  });

  it('refuses text, negatives and malformed grouping with a reason', () => {
    expect(value(parseAmount('lots'))).toMatch(/"lots" is not a number/);
    expect(value(parseAmount('-5'))).toMatch(/negative/);
    expect(value(parseAmount('-$5.00'))).toMatch(/negative/);
    expect(value(parseAmount('1,05,7'))).toMatch(/not a number/);
    expect(value(parseAmount('12.5.3,1'))).toMatch(/not a number/);
    expect(value(parseAmount(Number.NaN))).toMatch(/number/);
    expect(value(parseAmount('9'.repeat(62)))).toMatch(/at most 1000000000000/);
    expect(value(parseAmount(1e62))).toMatch(/at most 1000000000000/);
    expect(value(parseAmount('999,999,999,999.99'))).toBe(999999999999.99);
  });
});

describe('parseCount', () => {
  it('takes whole numbers with thousands separators either way', () => {
    expect(value(parseCount('1,057'))).toBe(1057);
    expect(value(parseCount('1.057'))).toBe(1057);
    expect(value(parseCount('30'))).toBe(30);
    expect(value(parseCount(4))).toBe(4);
  });
  it('refuses fractions', () => {
    expect(value(parseCount('3.5'))).toMatch(/whole number/);
    expect(value(parseCount(2.5))).toMatch(/whole number/);
  });
});

describe('parseDay', () => {
  it.each([
    ['20250301', '2025-03-01'],
    ['2025-03-01', '2025-03-01'],
    ['2025-03-01T00:00:00Z', '2025-03-01'],
    ['2025/3/1', '2025-03-01'],
    ['03/01/2025', '2025-03-01'],
    ['31/03/2025', '2025-03-31'],
    ['3.1.2025', '2025-01-03'],
    ['01.12.2026', '2026-12-01'],
    ['Mar 1, 2025', '2025-03-01'],
    ['March 31 2025', '2025-03-31'],
    ['1 Mar 2025', '2025-03-01'],
  ])('%s → %s', (raw, expected) => {
    expect(value(parseDay(raw))).toBe(expected);
  });
  it('refuses impossible and unknown dates', () => {
    expect(value(parseDay('20250230'))).toMatch(/not a real date/);
    expect(value(parseDay('2025-13-01'))).toMatch(/not a real date/);
    expect(value(parseDay('yesterday'))).toMatch(/not a date/);
  });
});

describe('findDayRange', () => {
  it('finds the range of a console title line, however it is written', () => {
    expect(findDayRange('Date range: 03/01/2025 - 03/31/2025')).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(findDayRange('Date range: Mar 1, 2025 – Mar 31, 2025')).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(findDayRange('2025-03-31 to 2025-03-01')).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    // European consoles: dotted days are day first; a slashed range is read one way at both ends.
    expect(findDayRange('Zeitraum: 01.11.2026 - 30.11.2026')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(findDayRange('Zeitraum: 01.12.2026 - 03.12.2026')).toEqual({ from: '2026-12-01', to: '2026-12-03' });
    expect(findDayRange('Date range: 01/11/2026 - 30/11/2026')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(findDayRange('Amazon Attribution report')).toBeNull();
    expect(findDayRange('Generated 2025-04-02')).toBeNull();
  });
});
