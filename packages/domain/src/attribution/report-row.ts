import { parseAmount, parseCount, parseDay } from './amounts.js';
import { AMOUNT_FIELDS, COUNT_FIELDS, REQUIRED_FIELDS, TEXT_FIELDS, type ReportField } from './report-columns.js';

/** Amazon reports a campaign, an ad group or a creative (one tag) per row; totals never mix levels. */
export const REPORT_LEVELS = ['campaign', 'adGroup', 'creative'] as const;
export type ReportLevel = (typeof REPORT_LEVELS)[number];

type Counts = Record<(typeof COUNT_FIELDS)[number], number | null>;
type Amounts = Record<(typeof AMOUNT_FIELDS)[number], number | null>;
type Texts = Record<(typeof TEXT_FIELDS)[number], string | null>;

/**
 * One report row, whatever shape it came in. Promoted-product figures (`purchases`, `unitsSold`, `sales`, …)
 * and the brand-halo totals (`total…`: promoted plus other products of the brand) are kept apart.
 */
export interface ReportRow extends Counts, Amounts, Texts {
  level: ReportLevel;
  /** the entity of its level: creative id, ad group id (or names), Amazon campaign id (or name), '' when unnamed */
  key: string;
  /** first and last day the figures cover (`YYYY-MM-DD`, inclusive): one day for daily rows */
  from: string;
  to: string;
  purchases: number;
  unitsSold: number;
  sales: number;
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** One row of input, CSV line or JSON object, as the row builder reads it. */
export interface RowSource {
  /** how errors name the row: `line 5` or `body.reports.3` */
  at: string;
  /** the raw value and the column it came from as the input spells it; undefined when the row has no such column */
  value(field: ReportField): { raw: string | number | null; column: string } | undefined;
  /** the column that would hold a field this row lacks (JSON rows may leave keys out) */
  columnOf?(field: ReportField): string | undefined;
}

const MAX_TEXT = 300;

function text(source: RowSource, field: ReportField, issues: FieldIssue[]): string | null {
  const cell = source.value(field);
  if (!cell || cell.raw === null) return null;
  const value = String(cell.raw).trim();
  if (value.length > MAX_TEXT)
    issues.push({ path: `${source.at}.${cell.column}`, message: `longer than ${MAX_TEXT} characters` });
  return value === '' ? null : value;
}

function figure(source: RowSource, field: ReportField, parse: typeof parseCount, issues: FieldIssue[]): number | null {
  const cell = source.value(field);
  if (!cell || cell.raw === null) return null;
  const parsed = parse(cell.raw);
  if (!parsed.ok) {
    issues.push({ path: `${source.at}.${cell.column}`, message: parsed.message });
    return null;
  }
  return parsed.value;
}

function day(source: RowSource, field: 'date' | 'from' | 'to', issues: FieldIssue[]): string | null {
  const cell = source.value(field);
  if (!cell || cell.raw === null || String(cell.raw).trim() === '') return null;
  const parsed = parseDay(cell.raw);
  if (!parsed.ok) issues.push({ path: `${source.at}.${cell.column}`, message: parsed.message });
  return parsed.ok ? parsed.value : null;
}

function period(
  source: RowSource,
  fallback: { from: string; to: string } | null,
  issues: FieldIssue[],
): { from: string; to: string } | null {
  const before = issues.length;
  const date = day(source, 'date', issues);
  if (date) return { from: date, to: date };
  const from = day(source, 'from', issues);
  const to = day(source, 'to', issues);
  if (issues.length > before) return null;
  if (from && to) {
    if (from <= to) return { from, to };
    issues.push({ path: `${source.at}.${source.value('to')?.column ?? 'to'}`, message: 'ends before it starts' });
    return null;
  }
  if (fallback) return fallback;
  const column = source.value('date')?.column ?? source.value('from')?.column ?? 'date';
  issues.push({ path: `${source.at}.${column}`, message: 'has no date (and no date range is given above the header)' });
  return null;
}

function levelOf(t: Texts): { level: ReportLevel; key: string } {
  const names = (...parts: (string | null)[]) => `name:${parts.map((p) => p ?? '').join('/')}`;
  if (t.creativeId) return { level: 'creative', key: t.creativeId };
  if (t.creativeName) return { level: 'creative', key: names(t.campaignName, t.adGroupName, t.creativeName) };
  if (t.adGroupId) return { level: 'adGroup', key: t.adGroupId };
  if (t.adGroupName) return { level: 'adGroup', key: names(t.campaignName, t.adGroupName, t.publisher) };
  return { level: 'campaign', key: t.amazonCampaignId ?? (t.campaignName ? names(t.campaignName) : '') };
}

/** Builds a row, or adds to `issues` one entry per bad cell (path `<at>.<column>`). */
export function buildReportRow(
  source: RowSource,
  fallbackPeriod: { from: string; to: string } | null,
  issues: FieldIssue[],
): ReportRow | null {
  const before = issues.length;
  const dates = period(source, fallbackPeriod, issues);
  // Plain loops into objects built in the same key order every time (Object.fromEntries and spreads made each
  // row a dictionary-mode object: ~200 µs a row, 2.5 s of blocked event loop for a 10,000-row upload).
  const texts = {} as Texts;
  for (const f of TEXT_FIELDS) texts[f] = text(source, f, issues);
  const counts = {} as Counts;
  for (const f of COUNT_FIELDS) counts[f] = figure(source, f, parseCount, issues);
  const amounts = {} as Amounts;
  for (const f of AMOUNT_FIELDS) amounts[f] = figure(source, f, parseAmount, issues);
  const figureOf = (field: ReportField) =>
    (counts as Record<string, number | null>)[field] ?? (amounts as Record<string, number | null>)[field] ?? null;
  for (const field of REQUIRED_FIELDS) {
    const cell = source.value(field);
    if (figureOf(field) === null && !issues.some((i) => i.path === `${source.at}.${cell?.column}`)) {
      issues.push({
        path: `${source.at}.${cell?.column ?? source.columnOf?.(field) ?? field}`,
        message: cell ? 'is empty' : 'is missing',
      });
    }
  }
  if (issues.length > before || !dates) return null;
  return {
    ...levelOf(texts),
    ...dates,
    ...texts,
    ...counts,
    ...amounts,
    purchases: counts.purchases ?? 0,
    unitsSold: counts.unitsSold ?? 0,
    sales: amounts.sales ?? 0,
  };
}
