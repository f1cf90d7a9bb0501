import type { Status } from './types.js';

export const STAGES: { status: Status; label: string; at: 'signedUpAt' | 'purchasedAt' | 'doneAt' | 'followedUpAt' }[] =
  [
    { status: 'signed_up', label: 'Signed Up', at: 'signedUpAt' },
    { status: 'purchased', label: 'Purchased', at: 'purchasedAt' },
    { status: 'done', label: 'Done', at: 'doneAt' },
    { status: 'followed_up', label: 'Followed Up', at: 'followedUpAt' },
  ];

export function statusLabel(status: string): string {
  return STAGES.find((s) => s.status === status)?.label ?? status;
}

/** `status signed_up → purchased` reads as `status Signed Up → Purchased`. */
export const labelStatuses = (text: string): string =>
  text.replace(/\b(signed_up|purchased|done|followed_up)\b/g, (s) => statusLabel(s));

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortThisYear = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const shortOtherYear = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const integer = new Intl.NumberFormat();
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const formatDateTime = (iso: string | null | undefined): string => (iso ? dateTime.format(new Date(iso)) : '—');
/** Compact for table cells: the year only when it is not this year. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  return (d.getFullYear() === new Date().getFullYear() ? shortThisYear : shortOtherYear).format(d);
}
/** `YYYY-MM-DD` report dates are calendar days, not instants: format them in UTC so no time zone shifts them. */
export const formatDay = (day: string): string => dateOnly.format(new Date(`${day}T00:00:00Z`));
export const formatCount = (n: number): string => integer.format(n);
export const formatMoney = (n: number): string => money.format(n);

export function formatShare(part: number, total: number): string {
  if (total <= 0) return '0%';
  const pct = (part / total) * 100;
  return `${pct > 0 && pct < 1 ? '<1' : Math.round(pct)}%`;
}

export function signed(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : n < 0 ? `−${formatCount(-n)}` : '±0';
}

export const instagramProfileUrl = (handle: string): string =>
  `https://www.instagram.com/${encodeURIComponent(handle)}/`;

/**
 * `text` without a trailing `(…)` and the spaces around it (`click (evt-123)` → `click`). A scan from the end:
 * the regex it replaces looked for the parenthesis from every position, quadratic on a long line.
 */
export function withoutTrailingParenthesis(text: string): string {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith(')')) return text;
  // The earliest `(` after the last other `)`: what `\s*\([^)]*\)\s*$` matched.
  const open = trimmed.indexOf('(', trimmed.lastIndexOf(')', trimmed.length - 2) + 1);
  return open < 0 ? text : trimmed.slice(0, open).trimEnd();
}
