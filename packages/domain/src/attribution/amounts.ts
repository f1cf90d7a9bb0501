/**
 * Numbers and days as Amazon writes them in its reports: API strings (`"191.95999999999998"`, `"20250301"`),
 * console cells (`"$1,179.94"`, `"1,057"`, `03/01/2025`) and, from European marketplaces, `1.179,94 €`.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** Cells Amazon leaves without a figure. */
const BLANK = /^(?:|-|—|–|n\/a|na|null)$/i;
export const isBlank = (raw: string): boolean => BLANK.test(raw.trim());

/** Longest cell read as a figure: far beyond any real amount, and it keeps a hostile cell cheap to refuse. */
export const MAX_FIGURE_LENGTH = 64;

const SYMBOLS = new Set(['$', '€', '£', '¥', '₹']);
const NUMBER_CHARS = new Set([..."0123456789.,'", '\u00a0', '\u202f', ' ']);
const isUpper = (ch: string | undefined) => ch !== undefined && ch >= 'A' && ch <= 'Z';
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isSpace = (ch: string | undefined) => ch !== undefined && ch.trim() === '';

/**
 * One number with separators, an optional minus, and an optional currency before (`$`, `US$`, `EUR `) or
 * after (`€`, ` EUR`). A left-to-right scan, not a regex: each character is looked at once.
 */
function splitMoney(text: string): { negative: boolean; number: string } | null {
  let i = 0;
  const skipSpaces = () => {
    while (isSpace(text[i])) i++;
  };
  let negative = text[i] === '-';
  if (negative) i++;
  skipSpaces();
  let letters = 0;
  while (letters < 4 && isUpper(text[i + letters])) letters++;
  if (letters <= 3 && SYMBOLS.has(text[i + letters] ?? '')) i += letters + 1;
  else if (letters === 3 && isSpace(text[i + 3])) i += 3;
  skipSpaces();
  if (text[i] === '-') {
    negative = true;
    i++;
  }
  skipSpaces();
  if (!isDigit(text[i])) return null;
  const start = i;
  while (i < text.length && NUMBER_CHARS.has(text[i] as string)) i++;
  const number = text.slice(start, i);
  skipSpaces();
  if (SYMBOLS.has(text[i] ?? '')) i++;
  else if (isUpper(text[i]) && isUpper(text[i + 1]) && isUpper(text[i + 2])) i += 3;
  return i === text.length ? { negative, number } : null;
}

const GROUPED_BY_COMMA = /^\d{1,3}(,\d{3})*$/;
const GROUPED_BY_DOT = /^\d{1,3}(\.\d{3})*$/;

/** `1,057` and `1.179,94` alike: the last separator is the decimal one when both appear. */
function plainDigits(text: string): string | null {
  const digits = text.replace(/[\s'\u00a0\u202f]/g, '');
  const dot = digits.lastIndexOf('.');
  const comma = digits.lastIndexOf(',');
  let plain = digits;
  if (dot >= 0 && comma >= 0) {
    const [decimal, thousands] = dot > comma ? ['.', ','] : [',', '.'];
    const [whole = '', fraction = ''] = [
      digits.slice(0, digits.lastIndexOf(decimal)),
      digits.slice(digits.lastIndexOf(decimal) + 1),
    ];
    if (!(thousands === ',' ? GROUPED_BY_COMMA : GROUPED_BY_DOT).test(whole)) return null;
    plain = `${whole.split(thousands).join('')}.${fraction}`;
  } else if (comma >= 0) {
    // `1,057` and `12,345,678` group thousands; `12,5` is a decimal comma.
    if (/^\d{1,3}(,\d{3})+$/.test(digits)) plain = digits.replace(/,/g, '');
    else if (/^\d+,\d+$/.test(digits)) plain = digits.replace(',', '.');
    else return null;
  } else if (/^\d{1,3}(\.\d{3}){2,}$/.test(digits)) {
    plain = digits.replace(/\./g, '');
  }
  return /^\d+(\.\d+)?$/.test(plain) ? plain : null;
}

/** Above any real campaign's report (a 62-digit "sales" was summed and shown as 1e+62): refused as a typo. */
const MAX_AMOUNT = 1e12;
const TOO_LARGE = 'must be at most 1000000000000';

/** A non-negative amount; `null` for a blank cell. */
export function parseAmount(raw: string | number): Parsed<number | null> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) return fail('must be a number of at least 0');
    return raw > MAX_AMOUNT ? fail(TOO_LARGE) : ok(raw);
  }
  if (raw.length > MAX_FIGURE_LENGTH) return fail(`is longer than ${MAX_FIGURE_LENGTH} characters`);
  if (isBlank(raw)) return ok(null);
  const m = splitMoney(raw.trim());
  const plain = m ? plainDigits(m.number) : null;
  if (!m || plain === null) return fail(`"${raw.trim().slice(0, 40)}" is not a number`);
  if (m.negative && Number(plain) !== 0) return fail('must not be negative');
  return Number(plain) > MAX_AMOUNT ? fail(TOO_LARGE) : ok(Number(plain));
}

/** A non-negative whole number; `1.057` from a European export is a thousand and fifty-seven, not a fraction. */
export function parseCount(raw: string | number): Parsed<number | null> {
  if (typeof raw === 'string' && raw.length <= MAX_FIGURE_LENGTH && /^\s*\d{1,3}(\.\d{3})+\s*$/.test(raw))
    return ok(Number(raw.trim().replace(/\./g, '')));
  const amount = parseAmount(raw);
  if (!amount.ok || amount.value === null) return amount;
  return Number.isSafeInteger(amount.value) ? amount : fail('must be a whole number');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
// One alternation per spelling; the named groups say which part is which.
const DAY_PATTERNS = [
  /(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/,
  /(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})/,
  /(?<y>\d{4})\/(?<m>\d{1,2})\/(?<d>\d{1,2})/,
  /(?<a>\d{1,2})\/(?<b>\d{1,2})\/(?<y>\d{4})/,
  // Dotted dates are the European consoles' (de, fr, it, …): always day first.
  /(?<dd>\d{1,2})\.(?<dm>\d{1,2})\.(?<y>\d{4})/,
  new RegExp(`(?<mon>${MONTH})\\s+(?<d>\\d{1,2}),?\\s+(?<y>\\d{4})`),
  new RegExp(`(?<d>\\d{1,2})\\s+(?<mon>${MONTH})\\s+(?<y>\\d{4})`),
];
// Compiled once: a report has a day on every row (compiling them per call cost ~25 µs a row).
const WHOLE_DAY_PATTERNS = DAY_PATTERNS.map((p) => new RegExp(`^${p.source}$`, 'i'));
const ANY_DAY = new RegExp(DAY_PATTERNS.map((p) => `\\b(?:${p.source.replace(/\?<\w+>/g, '')})\\b`).join('|'), 'gi');

function isoDay(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 2000 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function dayFromMatch(g: Record<string, string | undefined>, dayFirst: boolean): string | null {
  const y = Number(g.y);
  if (g.mon) return isoDay(y, MONTHS.indexOf(g.mon.slice(0, 3).toLowerCase()) + 1, Number(g.d));
  if (g.dd !== undefined) return isoDay(y, Number(g.dm), Number(g.dd));
  if (g.a !== undefined) {
    // US consoles write month first; a first part above 12 can only be a day.
    const [a, b] = [Number(g.a), Number(g.b)];
    return dayFirst || a > 12 ? isoDay(y, b, a) : isoDay(y, a, b);
  }
  return isoDay(y, Number(g.m), Number(g.d));
}

/**
 * A calendar day as `YYYY-MM-DD` from `20250301`, `2025-03-01`, `03/01/2025`, `01.03.2025`, `Mar 1, 2025`,
 * `1 Mar 2025`. Slashed days are month first unless the first part is over 12 or `dayFirst` says so.
 */
export function parseDay(raw: string | number, dayFirst = false): Parsed<string> {
  const text = String(raw).trim();
  if (text.length > MAX_FIGURE_LENGTH) return fail(`is longer than ${MAX_FIGURE_LENGTH} characters`);
  for (const pattern of WHOLE_DAY_PATTERNS) {
    const m = pattern.exec(text);
    if (!m?.groups) continue;
    const day = dayFromMatch(m.groups, dayFirst);
    return day ? ok(day) : fail(`"${text}" is not a real date`);
  }
  return fail(`"${text.slice(0, 40)}" is not a date (YYYYMMDD, YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY)`);
}

/** `31/03/2025`: a slashed day whose first part can only be the day. */
const SLASHED_DAY_FIRST = /^(\d{1,2})\/\d{1,2}\/\d{4}$/;
const slashedDayFirst = (text: string) => Number(SLASHED_DAY_FIRST.exec(text)?.[1] ?? 0) > 12;

/** The first two days written in a line such as `Date range: Mar 1, 2025 - Mar 31, 2025`, in order. */
export function findDayRange(text: string): { from: string; to: string } | null {
  const found: string[] = [];
  // A date-range line is short; a longer one is not read past this (it bounds the scan of a hostile title).
  for (const m of text.slice(0, 1000).matchAll(ANY_DAY)) {
    if (parseDay(m[0]).ok) found.push(m[0]);
    if (found.length === 2) break;
  }
  // Both ends are written the same way: `01/11/2026 - 30/11/2026` is day first at both ends.
  const dayFirst = found.some(slashedDayFirst);
  const days = found.map((t) => parseDay(t, dayFirst)).flatMap((d) => (d.ok ? [d.value] : []));
  const [first, second] = days;
  if (!first || !second) return null;
  return first <= second ? { from: first, to: second } : { from: second, to: first };
}
