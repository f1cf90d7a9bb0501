import {
  DEFAULT_FLAT_FILE_LIMITS,
  FlatFileError,
  FlatFileReader,
  isBlankRecord,
  type FlatFileLimits,
} from './flat-file.js';
import { describeKinds, locateColumns, recogniseReport, REPORT_LABELS, type ReportKind } from './report-kinds.js';
import {
  buildOrderRow,
  buildReturnRow,
  RowCells,
  type OrderRow,
  type ReturnRow,
  type RowIssue,
} from './report-rows.js';

export interface AmazonReportFailure {
  code: 'unrecognised_report' | 'wrong_report' | 'invalid_report' | 'empty_report';
  message: string;
  details: RowIssue[];
}

export type ReportRead =
  | { ok: true; kind: 'fba_returns' | 'seller_returns'; returns: ReturnRow[] }
  | { ok: true; kind: 'all_orders'; orders: OrderRow[] }
  | { ok: false; error: AmazonReportFailure };

const MAX_ISSUES = 50;

/**
 * Reads one uploaded report, chunk by chunk: recognises it by its header, checks every row and keeps only the
 * fields we use. All or nothing: any bad row fails the whole report, naming each line and column (the first 50).
 * After a failure the rest of the input is ignored, so a caller may stop sending it (`failed`).
 */
export class AmazonReportReader {
  private readonly file: FlatFileReader;
  private header: string[] | null = null;
  private kind: ReportKind | null = null;
  private at: Record<string, number> = {};
  private readonly returns: ReturnRow[] = [];
  private readonly orders: OrderRow[] = [];
  private readonly issues: RowIssue[] = [];
  private fatal: AmazonReportFailure | null = null;

  constructor(
    private readonly accept: readonly ReportKind[],
    limits: FlatFileLimits = DEFAULT_FLAT_FILE_LIMITS,
  ) {
    this.file = new FlatFileReader((r) => this.record(r.line, r.cells), limits);
  }

  get failed(): boolean {
    return this.fatal !== null || this.issues.length >= MAX_ISSUES;
  }

  push(chunk: string): void {
    if (this.failed) return;
    this.guard(() => this.file.push(chunk));
  }

  end(): ReportRead {
    if (!this.failed) this.guard(() => this.file.end());
    if (this.fatal) return { ok: false, error: this.fatal };
    if (this.issues.length) {
      const first = this.issues[0] as RowIssue;
      const more =
        this.issues.length > 1 ? ` (and ${this.issues.length - 1} more${this.failed ? ' at least' : ''})` : '';
      return {
        ok: false,
        error: { code: 'invalid_report', message: `${first.path}: ${first.message}${more}`, details: this.issues },
      };
    }
    if (this.kind === null) {
      return this.fail('empty_report', 'line 1', `the file is empty: expected ${describeKinds(this.accept)}`);
    }
    return this.kind === 'all_orders'
      ? { ok: true, kind: 'all_orders', orders: this.orders }
      : { ok: true, kind: this.kind, returns: this.returns };
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (err) {
      if (!(err instanceof FlatFileError)) throw err;
      this.fail('invalid_report', `line ${err.line}`, err.problem);
    }
  }

  private fail(
    code: AmazonReportFailure['code'],
    path: string,
    message: string,
  ): { ok: false; error: AmazonReportFailure } {
    this.fatal ??= { code, message: `${path}: ${message}`, details: [{ path, message }] };
    return { ok: false, error: this.fatal };
  }

  private record(line: number, cells: string[]): void {
    if (this.failed || isBlankRecord({ line, cells })) return;
    if (this.header === null) return this.readHeader(line, cells);
    const extra = cells.slice(this.header.length).some((c) => c.trim() !== '');
    if (extra) {
      this.issues.push({
        path: `line ${line}`,
        message: `has more values than the ${this.header.length} columns of the header`,
      });
      return;
    }
    const row = new RowCells(line, cells, this.at, this.header);
    if (this.kind === 'all_orders') {
      const order = buildOrderRow(line, row);
      if (order) this.orders.push(order);
    } else if (this.kind) {
      const ret = buildReturnRow(line, row, this.kind);
      if (ret) this.returns.push(ret);
    }
    this.issues.push(...row.issues.slice(0, MAX_ISSUES - this.issues.length));
  }

  private readHeader(line: number, cells: string[]): void {
    // Blank trailing columns (a tab at the end of every line) are not columns.
    let width = cells.length;
    while (width > 0 && cells[width - 1] === '') width--;
    const header = cells.slice(0, width);
    const kind = recogniseReport(header);
    if (kind === null) {
      const near = this.accept
        .map((k) => ({ k, located: locateColumns(k, header) }))
        .map(({ k, located }) => ({ k, missing: located.ok ? [] : located.missing }))
        .sort((a, b) => a.missing.length - b.missing.length)[0];
      const hint =
        near && near.missing.length <= 2
          ? `it looks like the ${REPORT_LABELS[near.k]} but has no ${near.missing.join(', ')}; `
          : '';
      this.fail(
        'unrecognised_report',
        `line ${line}`,
        `${hint}not a report we read: expected ${describeKinds(this.accept)}`,
      );
      return;
    }
    if (!this.accept.includes(kind)) {
      this.fail(
        'wrong_report',
        `line ${line}`,
        `this is the ${REPORT_LABELS[kind]}: expected ${describeKinds(this.accept)}`,
      );
      return;
    }
    const located = locateColumns(kind, header);
    if (!located.ok) return;
    this.header = header;
    this.kind = kind;
    this.at = located.at;
  }
}
