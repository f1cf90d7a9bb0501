import { trimEndOf } from '../util/trim-end.js';
import { currencyMinorDigits } from './currency.js';

/**
 * Exact money: integer minor units inside, decimal strings on the wire. Nothing here goes through a float:
 * digits are read one by one, and products (tax) are taken in BigInt.
 */

/** The largest amount accepted anywhere (minor units): far above any reimbursement, far below 2^53. */
export const MAX_MINOR = 100_000_000_000;
/** Longest decimal string read at all: the length cap comes before any pattern. */
const MAX_TEXT = 24;
// Linear: one digit run, an optional dot and one more run; no leading zeros, no sign, no exponent.
const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

export type MoneyParse = { ok: true; minor: number } | { ok: false; message: string };

/** `"24.99"` in USD → 2499. Refuses `"1e3"`, `"-5"`, `"12.345"` (USD), `" 5"`, `"5."`, numbers and huge values. */
export function parseMoney(text: unknown, currency: string): MoneyParse {
  const digits = currencyMinorDigits(currency);
  if (typeof text !== 'string') return { ok: false, message: 'must be a decimal string such as "24.99"' };
  const m = text.length <= MAX_TEXT ? DECIMAL.exec(text) : null;
  if (!m) return { ok: false, message: `must be a decimal string such as "${example(digits)}" (no sign, no exponent)` };
  const whole = m[1] ?? '0';
  const fraction = m[2] ?? '';
  if (fraction.length > digits) {
    return { ok: false, message: `${currency} has ${digits} decimal place${digits === 1 ? '' : 's'} at most` };
  }
  const minor = digitsToInt(whole + fraction.padEnd(digits, '0'));
  if (minor === null || minor > MAX_MINOR) {
    return { ok: false, message: `must be at most ${formatMoney(MAX_MINOR, currency)}` };
  }
  return { ok: true, minor };
}

/** 2499 in USD → `"24.99"`; 500 in JPY → `"500"`; always the currency's digits. */
export function formatMoney(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError('an amount must be a whole number of minor units');
  const digits = currencyMinorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A tax rate as a decimal-string fraction (`"0.0825"`), in millionths: at most 6 places, from 0 to 1. */
export const RATE_SCALE = 1_000_000;
const RATE = /^(0|1)(?:\.([0-9]{1,6}))?$/;
export type RateParse = { ok: true; ppm: number } | { ok: false; message: string };

export function parseRate(text: unknown): RateParse {
  const bad = {
    ok: false,
    message: 'must be a decimal-string fraction from "0" to "1" such as "0.0825" (6 places at most)',
  } as const;
  if (typeof text !== 'string' || text.length > 8) return bad;
  const m = RATE.exec(text);
  if (!m) return bad;
  const ppm = digitsToInt((m[1] ?? '0') + (m[2] ?? '').padEnd(6, '0'));
  if (ppm === null || ppm > RATE_SCALE) return bad;
  return { ok: true, ppm };
}

/** 82500 → `"0.0825"`. */
export function formatRate(ppm: number): string {
  const text = String(ppm).padStart(7, '0');
  const fraction = trimEndOf(text.slice(-6), '0');
  return fraction ? `${text.slice(0, -6)}.${fraction}` : text.slice(0, -6);
}

/** base × rate, rounded half-up to the minor unit (all amounts are non-negative, so half-up is away from 0). */
export function applyRate(baseMinor: number, ppm: number): number {
  const scale = BigInt(RATE_SCALE);
  const product = BigInt(baseMinor) * BigInt(ppm);
  const rounded = (product + scale / 2n) / scale;
  return Number(rounded);
}

function digitsToInt(text: string): number | null {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    n = n * 10 + (text.charCodeAt(i) - 48);
    if (n > Number.MAX_SAFE_INTEGER / 10) return null;
  }
  return n;
}

function example(digits: number): string {
  return digits === 0 ? '2499' : `24.${'99'.padEnd(digits, '0')}`;
}
