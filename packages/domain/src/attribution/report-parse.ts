import { findDayRange } from './amounts.js';
import { csvRecords, CsvSyntaxError, type CsvRecord } from './csv-records.js';
import { checkUploadPeriods } from './periods.js';
import {
  describeExpectedHeaders,
  matchColumns,
  missingRequired,
  REQUIRED_LABELS,
  type ReportField,
} from './report-columns.js';
import { buildReportRow, type FieldIssue, type ReportRow, type RowSource } from './report-row.js';
import { runSteps, runStepsYielding, type Steps } from '../util/steps.js';

export const MAX_REPORT_ROWS = 10_000;
const MAX_ISSUES = 50;
/** how far down a file the header row may be (title and date-range lines come first in console exports) */
const HEADER_SEARCH_LINES = 30;
/** Rows built between two yields (see util/steps): a few milliseconds of work. */
const ROWS_PER_STEP = 200;

export interface ReportFailure {
  /** `payload_too_large`: over MAX_REPORT_ROWS (the api answers 413) */
  code: 'unrecognised_report' | 'invalid_csv' | 'invalid_request' | 'payload_too_large';
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

const tooManyRows = (root: string) =>
  failure('payload_too_large', [
    { path: root, message: `more than ${MAX_REPORT_ROWS} rows (the limit per upload): upload the report in parts` },
  ]);

/** Builds every row (reading the sources as it goes, stopping at the cap), then checks the upload as a whole. */
function* finish(
  sources: Iterable<RowSource>,
  fallbackPeriod: { from: string; to: string } | null,
  root: string,
): Steps<ReportParse> {
  const issues: FieldIssue[] = [];
  const rows: ReportRow[] = [];
  const where: string[] = [];
  let seen = 0;
  // One iterator for both loops below: a second `for…of` restarted an array (its first rows counted twice) and
  // found a CSV generator closed by the first loop's `break` (the rest never counted).
  const rest = sources[Symbol.iterator]();
  for (let next = rest.next(); !next.done; next = rest.next()) {
    const source = next.value;
    if (++seen > MAX_REPORT_ROWS) return tooManyRows(root);
    if (seen % ROWS_PER_STEP === 0) yield;
    const row = buildReportRow(source, fallbackPeriod, issues);
    if (row) {
      rows.push(row);
      where.push(source.at);
    }
    if (issues.length >= MAX_ISSUES) break;
  }
  // Past the first MAX_ISSUES problems only the count matters: an upload over the cap is refused as such.
  if (issues.length) {
    for (let next = rest.next(); !next.done; next = rest.next()) {
      if (++seen > MAX_REPORT_ROWS) return tooManyRows(root);
      if (seen % ROWS_PER_STEP === 0) yield;
    }
    return failure('invalid_request', issues);
  }
  if (rows.length === 0) return failure('invalid_request', [{ path: root, message: 'holds no report rows' }]);
  const periods = checkUploadPeriods(rows, where);
  return periods.ok ? { ok: true, rows: periods.rows } : failure('invalid_request', periods.issues);
}

/** The console's sum row: its first cell is the word alone (a campaign named "Total Beauty" is a row like any). */
const isTotalsRow = (r: CsvRecord) => /^(?:grand\s+)?totals?:?$/i.test((r.cells.find((c) => c !== '') ?? '').trim());

/**
 * A CSV report in any known shape: the header is the first line naming the required columns; lines above it
 * are a title or a date range (which dates rows that have no date column); empty lines, one-cell note lines
 * and a `Total` row are skipped. Errors name the line and the column as the file spells it (`line 7.Purchases`).
 */
export function parseReportCsv(text: string): ReportParse {
  return runSteps(csvReport(text));
}

/** parseReportCsv, handing the event loop back every few hundred rows (for the api). */
export function parseReportCsvYielding(text: string): Promise<ReportParse> {
  return runStepsYielding(csvReport(text));
}

function* csvReport(text: string): Steps<ReportParse> {
  // Records are read as they are needed: the header search stops after HEADER_SEARCH_LINES lines, and the body
  // stops at the row cap, so nothing is built for the rest of an oversized upload.
  const records = csvRecords(text, { skipBlank: true });
  try {
    const candidates: CsvRecord[] = [];
    let header: CsvRecord | undefined;
    // (next() rather than for…of: a loop left by break would close the reader the body goes on with)
    while (!header && candidates.length < HEADER_SEARCH_LINES) {
      const next = records.next();
      if (next.done) break;
      candidates.push(next.value);
      if (missingRequired(matchColumns(next.value.cells)).length === 0) header = next.value;
    }
    if (!header) {
      const near = candidates
        .map((r) => ({ r, known: matchColumns(r.cells).size }))
        .filter((c) => c.known >= 2)
        .sort((a, b) => b.known - a.known)[0];
      return unrecognised('header', near ? { names: near.r.cells, at: `line ${near.r.line}` } : null);
    }
    const head = header;
    const columns = matchColumns(head.cells);
    const preamble = candidates.filter((r) => r.line < head.line);
    const range = preamble.map((r) => findDayRange(r.cells.join(','))).find((p) => p !== null) ?? null;
    function* body(): Generator<RowSource> {
      for (const r of records) {
        if (r.cells.every((c) => c === '') || isTotalsRow(r) || (r.cells.length === 1 && head.cells.length > 2))
          continue;
        yield {
          at: `line ${r.line}`,
          value(field: ReportField) {
            const i = columns.get(field);
            return i === undefined ? undefined : { raw: r.cells[i] ?? '', column: head.cells[i] ?? field };
          },
        };
      }
    }
    return yield* finish(body(), range, 'body');
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      return failure('invalid_csv', [{ path: `line ${err.line}`, message: err.reason }]);
    throw err;
  }
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
  return runSteps(jsonReport(body));
}

/** parseReportJson, handing the event loop back every few hundred rows (for the api). */
export function parseReportJsonYielding(body: unknown): Promise<ReportParse> {
  return runStepsYielding(jsonReport(body));
}

function* jsonReport(body: unknown): Steps<ReportParse> {
  const found = jsonRows(body);
  if (!found) {
    return failure('unrecognised_report', [
      { path: 'body', message: 'expected {rows: [...]}, {reports: [...]} or an array of report rows' },
    ]);
  }
  const { root, items } = found;
  if (items.length > MAX_REPORT_ROWS) return tooManyRows(root);
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
  return yield* finish(sources, null, root);
}
