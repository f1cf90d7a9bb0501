/**
 * An incremental reader of Amazon's flat-file reports, fed chunk by chunk as a request body arrives, so a
 * report is read without holding its text. Tab-separated files (what Seller Central and the Reports API
 * download) are split on tabs only: Amazon does not quote them, and product names carry quote marks (`12" pan`).
 * Comma-separated files (a report re-saved by a spreadsheet) follow RFC 4180 quoting. Which one is decided by
 * the first line: a tab in it means tab-separated. A BOM is dropped; CR LF and LF both end a line.
 */
export interface FlatRecord {
  /** 1-based line of the file the record starts on */
  line: number;
  cells: string[];
}

export class FlatFileError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

export interface FlatFileLimits {
  /** longest line (or quoted record) accepted, in characters */
  maxLineChars: number;
  /** most records accepted, the header included */
  maxRecords: number;
}

export const DEFAULT_FLAT_FILE_LIMITS: FlatFileLimits = { maxLineChars: 64 * 1024, maxRecords: 200_001 };

export class FlatFileReader {
  private delimiter: '\t' | ',' | null = null;
  private started = false;
  private cell = '';
  private cells: string[] = [];
  private recordChars = 0;
  private inQuotes = false;
  private quotedCell = false;
  private pendingQuote = false;
  private pendingCr = false;
  private line = 1;
  private recordLine = 1;
  private records = 0;
  private firstLine = '';

  constructor(
    private readonly onRecord: (r: FlatRecord) => void,
    private readonly limits: FlatFileLimits = DEFAULT_FLAT_FILE_LIMITS,
  ) {}

  push(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.delimiter === null) {
      // Until the first line ends we cannot tell tabs from commas: keep it aside (bounded like any line).
      this.firstLine += text;
      const end = this.firstLine.search(/[\r\n]/);
      if (end < 0) {
        if (this.firstLine.length > this.limits.maxLineChars) this.tooLong();
        return;
      }
      this.delimiter = this.firstLine.slice(0, end).includes('\t') ? '\t' : ',';
      text = this.firstLine;
      this.firstLine = '';
    }
    for (let i = 0; i < text.length; i++) this.take(text[i] as string);
  }

  /** Ends the input: the last record may lack its line break. */
  end(): void {
    if (this.delimiter === null) {
      this.delimiter = this.firstLine.includes('\t') ? '\t' : ',';
      const rest = this.firstLine;
      this.firstLine = '';
      for (let i = 0; i < rest.length; i++) this.take(rest[i] as string);
    }
    if (this.pendingQuote) this.inQuotes = this.pendingQuote = false;
    if (this.inQuotes) throw new FlatFileError(this.recordLine, 'a quoted value is never closed');
    if (this.cell !== '' || this.cells.length > 0 || this.quotedCell) this.endRecord();
  }

  private take(ch: string): void {
    if (this.pendingCr) {
      this.pendingCr = false;
      if (ch === '\n') return;
    }
    if (++this.recordChars > this.limits.maxLineChars) this.tooLong();
    if (this.delimiter === ',' && this.quoting(ch)) return;
    if (ch === this.delimiter) {
      this.endCell();
    } else if (ch === '\n' || ch === '\r') {
      this.pendingCr = ch === '\r';
      this.endRecord();
      this.line++;
      this.recordLine = this.line;
    } else {
      this.cell += ch;
    }
  }

  /** RFC 4180 quotes of comma-separated files; true when the character was consumed. */
  private quoting(ch: string): boolean {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (ch === '"') {
        this.cell += '"';
        return true;
      }
      this.inQuotes = false;
    }
    // (spaces after a closing quote are dropped, as spreadsheets do)
    if (this.quotedCell && !this.inQuotes && ch === ' ') return true;
    if (this.inQuotes) {
      if (ch === '"') this.pendingQuote = true;
      else {
        if (ch === '\n') this.line++;
        this.cell += ch;
      }
      return true;
    }
    if (ch === '"' && this.cell.trim() === '' && !this.quotedCell) {
      this.inQuotes = true;
      this.quotedCell = true;
      this.cell = '';
      return true;
    }
    return false;
  }

  private endCell(): void {
    this.cells.push(this.quotedCell ? this.cell : this.cell.trim());
    this.cell = '';
    this.quotedCell = false;
  }

  private endRecord(): void {
    this.endCell();
    const record = { line: this.recordLine, cells: this.cells };
    this.cells = [];
    this.recordChars = 0;
    if (++this.records > this.limits.maxRecords) {
      throw new FlatFileError(this.recordLine, `more than ${this.limits.maxRecords - 1} rows: split the report`);
    }
    this.onRecord(record);
  }

  private tooLong(): never {
    throw new FlatFileError(this.recordLine, `a line longer than ${this.limits.maxLineChars} characters`);
  }
}

/** A record with nothing in it: an empty line, or only delimiters. */
export const isBlankRecord = (r: FlatRecord): boolean => r.cells.every((c) => c === '');
