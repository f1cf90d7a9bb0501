import { findDayRange } from './amounts.js';
import { CsvSyntaxError, isEmptyRecord, readCsv, type CsvRecord } from './csv-records.js';
import { checkUploadPeriods } from './periods.js';
import {
  describeExpectedHeaders,
  matchColumns,
  missingRequired,
  REQUIRED_LABELS,
  type ReportField,
} from './report-columns.js';
import { buildReportRow, type FieldIssue, type ReportRow, type RowSource } from './report-row.js';

export const MAX_REPORT_ROWS = 10_000;
const MAX_ISSUES = 50;
/** how far down a file the header row may be (title and date-range lines come first in console exports) */
const HEADER_SEARCH_LINES = 30;

export interface ReportFailure {
  code: 'unrecognised_report' | 'invalid_csv' | 'invalid_request';
  message: string;
  details: FieldIssue[];
}
export type ReportParse = { ok: true; rows: ReportRow[] } | { ok: false; error: ReportFailure };

const failure = (code: ReportFailure['code'], details: FieldIssue[], message?: string): ReportParse => {
  const first = details[0];
  return {
    ok: false,
    error: {
      code,
      message: message ?? (first ? `${first.path}: ${first.message}` : code),
      details: details.slice(0, MAX_ISSUES),
    },
  };
};

function unrecognised(path: string, near: { names: readonly string[]; at: string } | null): ReportParse {
  if (near) {
    const missing = missingRequired(matchColumns(near.names)).map((f) => REQUIRED_LABELS[f]);
    const message = `${near.at} looks like a header but is missing: ${missing.join(', ')}; ${describeExpectedHeaders()}`;
    return failure(
      'unrecognised_report',
      [{ path, message }],
      `header is missing: ${missing.join(', ')} (${near.at}); ${describeExpectedHeaders()}`,
    );
  }
  return failure(
    'unrecognised_report',
    [{ path, message: describeExpectedHeaders() }],
    `no recognisable report header: ${describeExpectedHeaders()}`,
  );
}

/** Builds every row, then checks the upload as a whole; all-or-nothing. */
function finish(
  sources: Iterable<RowSource>,
  fallbackPeriod: { from: string; to: string } | null,
  root: string,
): ReportParse {
  const issues: FieldIssue[] = [];
  const rows: ReportRow[] = [];
  const where: string[] = [];
  for (const source of sources) {
    if (rows.length + 1 > MAX_REPORT_ROWS)
      return failure('invalid_request', [
        { path: root, message: `more than ${MAX_REPORT_ROWS} rows: upload the report in parts` },
      ]);
    const row = buildReportRow(source, fallbackPeriod, issues);
    if (row) {
      rows.push(row);
      where.push(source.at);
    }
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length) return failure('invalid_request', issues);
  if (rows.length === 0) return failure('invalid_request', [{ path: root, message: 'holds no report rows' }]);
  const periods = checkUploadPeriods(rows, where);
  return periods.ok ? { ok: true, rows: periods.rows } : failure('invalid_request', periods.issues);
}

const isTotalsRow = (r: CsvRecord) => /^(?:grand\s+)?totals?\b/i.test(r.cells.find((c) => c !== '') ?? '');

/**
 * A CSV report in any known shape: the header is the first line naming the required columns; lines above it
 * are a title or a date range (which dates rows that have no date column); empty lines, one-cell note lines
 * and a `Total` row are skipped. Errors name the line and the column as the file spells it (`line 7.Purchases`).
 */
export function parseReportCsv(text: string): ReportParse {
  let records: CsvRecord[];
  try {
    records = readCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      return failure('invalid_csv', [{ path: `line ${err.line}`, message: 'a quoted value is never closed' }]);
    throw err;
  }
  const candidates = records.filter((r) => !isEmptyRecord(r)).slice(0, HEADER_SEARCH_LINES);
  const header = candidates.find((r) => missingRequired(matchColumns(r.cells)).length === 0);
  if (!header) {
    const near = candidates
      .map((r) => ({ r, known: matchColumns(r.cells).size }))
      .filter((c) => c.known >= 2)
      .sort((a, b) => b.known - a.known)[0];
    return unrecognised('header', near ? { names: near.r.cells, at: `line ${near.r.line}` } : null);
  }
  const columns = matchColumns(header.cells);
  const preamble = records.filter((r) => r.line < header.line && !isEmptyRecord(r));
  const range = preamble.map((r) => findDayRange(r.cells.join(','))).find((p) => p !== null) ?? null;
  const body = records.filter(
    (r) =>
      r.line > header.line &&
      !isEmptyRecord(r) &&
      !isTotalsRow(r) &&
      !(r.cells.length === 1 && header.cells.length > 2),
  );
  const sources = body.map((r): RowSource => ({
    at: `line ${r.line}`,
    value(field: ReportField) {
      const i = columns.get(field);
      return i === undefined ? undefined : { raw: r.cells[i] ?? '', column: header.cells[i] ?? field };
    },
  }));
  return finish(sources, range, 'body');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonRows(body: unknown): { root: string; items: unknown[] } | null {
  if (Array.isArray(body)) return { root: 'body', items: body };
  if (isRecord(body) && Array.isArray(body.reports)) return { root: 'body.reports', items: body.reports };
  if (isRecord(body) && Array.isArray(body.rows)) return { root: 'body.rows', items: body.rows };
  return null;
}

/**
 * A JSON report: ours (`{rows: [...]}`), the Amazon Ads API answer (`{reports: [...], cursorId}`) or its rows
 * as a bare array. Values may be strings (as Amazon sends them) or numbers. Errors name the row and the key
 * (`body.reports.3.attributedSales14d`).
 */
export function parseReportJson(body: unknown): ReportParse {
  const found = jsonRows(body);
  if (!found) {
    return failure('unrecognised_report', [
      { path: 'body', message: 'expected {rows: [...]}, {reports: [...]} or an array of report rows' },
    ]);
  }
  const { root, items } = found;
  const issues: FieldIssue[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isRecord(item)) issues.push({ path: `${root}.${i}`, message: 'must be an object' });
    else {
      for (const k of Object.keys(item)) {
        if (seen.has(k)) continue;
        seen.add(k);
        keys.push(k);
      }
    }
  });
  if (issues.length) return failure('invalid_request', issues);
  if (items.length === 0) return failure('invalid_request', [{ path: root, message: 'holds no report rows' }]);
  const columns = matchColumns(keys);
  if (missingRequired(columns).length) return unrecognised(root, { names: keys, at: `the keys of ${root}` });
  const sources = (items as Record<string, unknown>[]).map((item, i): RowSource => ({
    at: `${root}.${i}`,
    value(field: ReportField) {
      const index = columns.get(field);
      const key = index === undefined ? undefined : keys[index];
      if (key === undefined || !(key in item)) return undefined;
      const raw = item[key];
      return {
        raw: typeof raw === 'number' || raw === null ? raw : typeof raw === 'string' ? raw : JSON.stringify(raw),
        column: key,
      };
    },
    columnOf: (field: ReportField) => {
      const index = columns.get(field);
      return index === undefined ? undefined : keys[index];
    },
  }));
  return finish(sources, null, root);
}
