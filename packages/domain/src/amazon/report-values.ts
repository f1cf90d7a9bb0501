/**
 * The values of Amazon's flat-file reports, checked one by one so an error names what is wrong: order numbers
 * (`NNN-NNNNNNN-NNNNNNN`), dates (ISO 8601 with `Z` or an offset as the Reports API writes them, a bare date,
 * or the `05-Mar-2026` and `03/05/2026` forms of Seller Central's pages), counts and decimal amounts (exact:
 * integer minor units, never a float).
 */
export type Check<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const bad = <T>(message: string): Check<T> => ({ ok: false, message });

const isDigits = (s: string) => s.length > 0 && [...s].every((c) => c >= '0' && c <= '9');

/** An Amazon order number: three, seven and seven digits. */
export function checkOrderId(text: string): Check<string> {
  const parts = text.split('-');
  const [a, b, c] = parts;
  if (parts.length === 3 && a?.length === 3 && b?.length === 7 && c?.length === 7 && isDigits(a + b + c)) {
    return ok(text);
  }
  return bad(`"${clip(text)}" is not an Amazon order number (NNN-NNNNNNN-NNNNNNN)`);
}

export function checkCount(text: string): Check<number> {
  if (!isDigits(text) || text.length > 6) return bad(`"${clip(text)}" is not a whole number of units`);
  return ok(Number.parseInt(text, 10));
}

/**
 * A decimal amount as minor units of a currency with `digits` decimals (`"24.99"` → 2499). More decimals than
 * the currency has are refused rather than rounded; a thousands separator is refused too.
 */
export function checkAmount(text: string, digits: number): Check<number> {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '', fraction = '', ...rest] = body.split('.');
  if (rest.length > 0 || !isDigits(whole) || whole.length > 12 || (fraction !== '' && !isDigits(fraction))) {
    return bad(`"${clip(text)}" is not an amount such as 24.99`);
  }
  if (body.endsWith('.')) return bad(`"${clip(text)}" is not an amount such as 24.99`);
  if (fraction.length > digits) return bad(`"${clip(text)}" has more than ${digits} decimals`);
  const minor = Number.parseInt(whole + fraction.padEnd(digits, '0'), 10);
  return ok(negative ? -minor : minor);
}

/** Minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0), or null for a code that is not one. */
export function currencyDigits(code: string): number | null {
  if (code.length !== 3 || !/^[A-Z]{3}$/.test(code)) return null;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return null;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function dateOf(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
    ? `${y}-${pad(m)}-${pad(d)}`
    : null;
}

/** `YYYY-MM-DD`, `DD-Mon-YYYY` or `MM/DD/YYYY` → `YYYY-MM-DD`. */
function calendarDate(text: string): string | null {
  const dash = text.split('-');
  if (dash.length === 3 && dash[0]?.length === 4 && isDigits(dash.join(''))) {
    return dateOf(Number(dash[0]), Number(dash[1]), Number(dash[2]));
  }
  if (dash.length === 3 && dash[2]?.length === 4 && isDigits((dash[0] ?? '') + dash[2])) {
    const month = MONTHS.indexOf((dash[1] ?? '').toLowerCase()) + 1;
    return month > 0 ? dateOf(Number(dash[2]), month, Number(dash[0])) : null;
  }
  const slash = text.split('/');
  if (slash.length === 3 && slash[2]?.length === 4 && isDigits(slash.join(''))) {
    return dateOf(Number(slash[2]), Number(slash[0]), Number(slash[1]));
  }
  return null;
}

/** `HH:MM:SS` (or `HH:MM`) followed by `Z`, `±HH:MM`, `±HHMM`, ` UTC` or ` GMT` → offset minutes. */
function timeWithZone(text: string): { seconds: number; offsetMinutes: number } | null {
  let clock: string;
  let offsetMinutes = 0;
  const upper = text.toUpperCase();
  if (upper.endsWith('Z')) clock = text.slice(0, -1);
  else if (upper.endsWith(' UTC') || upper.endsWith(' GMT')) clock = text.slice(0, -4);
  else {
    const at = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
    if (at < 0) return null;
    const zone = text.slice(at + 1).replace(':', '');
    if (zone.length !== 4 || !isDigits(zone)) return null;
    offsetMinutes = (Number(zone.slice(0, 2)) * 60 + Number(zone.slice(2))) * (text[at] === '-' ? -1 : 1);
    clock = text.slice(0, at);
  }
  const [h = '', m = '', s = '00', ...rest] = clock.split(':');
  const secs = s.split('.')[0] ?? '';
  if (rest.length || h.length !== 2 || m.length !== 2 || secs.length !== 2 || !isDigits(h + m + secs)) return null;
  if (Number(h) > 23 || Number(m) > 59 || Number(secs) > 59 || Math.abs(offsetMinutes) > 14 * 60) return null;
  return { seconds: Number(h) * 3600 + Number(m) * 60 + Number(secs), offsetMinutes };
}

/**
 * A report date: an instant when it carries a time and zone (`2026-11-30T14:03:11+00:00`), else a calendar
 * date. A time without a zone is refused: which day it meant cannot be known.
 */
export function checkReportDate(text: string): Check<{ date: string; at: string | null }> {
  const cut = text.search(/[T ]/);
  const datePart = cut < 0 ? text : text.slice(0, cut);
  const date = calendarDate(datePart);
  if (date === null) return bad(`"${clip(text)}" is not a date such as 2026-11-30T14:03:11+00:00`);
  if (cut < 0) return ok({ date, at: null });
  const time = timeWithZone(text.slice(cut + 1));
  if (time === null) return bad(`"${clip(text)}" has no time zone or an unreadable time (e.g. 14:03:11+00:00)`);
  const instant = Date.parse(`${date}T00:00:00Z`) + (time.seconds - time.offsetMinutes * 60) * 1000;
  return ok({ date, at: new Date(instant).toISOString() });
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
