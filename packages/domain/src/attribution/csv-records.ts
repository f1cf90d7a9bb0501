/**
 * A small RFC 4180 reader that keeps, for every record, the line it starts on, so an error can name the line
 * a person sees in a spreadsheet or an editor. Quoted cells may hold delimiters, doubled quotes and line
 * breaks; a quote inside an unquoted cell is an ordinary character.
 */
export interface CsvRecord {
  /** 1-based line of the file the record starts on */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter the first lines use most (outside quotes): a comma, or `;`/tab from some spreadsheets. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  let lines = 0;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n' && ++lines >= 30) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** A cell longer than this, or a record with more cells, is refused: no report or tag list comes near them. */
export const MAX_CSV_CELL = 4096;
export const MAX_CSV_CELLS = 256;

/**
 * The records of the text one by one, as they are read: a caller that stops early (a row cap) never pays for
 * the rest, and blank lines (`skipBlank`) cost no allocation, so 8 MB of newlines is a cheap scan. Cells are
 * trimmed; a cell over MAX_CSV_CELL characters or a record over MAX_CSV_CELLS cells is a CsvSyntaxError.
 */
export function* csvRecords(
  input: string,
  options: { delimiter?: string; skipBlank?: boolean } = {},
): Generator<CsvRecord, void, undefined> {
  const text = stripBom(input);
  const delimiter = options.delimiter ?? detectDelimiter(text);
  let cells: string[] = [];
  let cell = '';
  // whether `cell` holds only whitespace so far (kept as a flag: trimming the cell at every quote is quadratic)
  let blank = true;
  let quotedCell = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endCell = () => {
    if (cells.length >= MAX_CSV_CELLS) throw new CsvSyntaxError(recordLine, `more than ${MAX_CSV_CELLS} columns`);
    cells.push(quotedCell ? cell : cell.trim());
    cell = '';
    blank = true;
    quotedCell = false;
  };
  const add = (ch: string) => {
    if (cell.length >= MAX_CSV_CELL)
      throw new CsvSyntaxError(quotedCell ? quoteLine : line, `a value is longer than ${MAX_CSV_CELL} characters`);
    cell += ch;
    if (blank && !/\s/.test(ch)) blank = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        add('"');
        i++;
      } else if (ch === '"') {
        inQuotes = false;
      } else {
        if (ch === '\n') line++;
        add(ch);
      }
    } else if (ch === '"' && blank && !quotedCell) {
      inQuotes = true;
      quotedCell = true;
      quoteLine = line;
      cell = '';
    } else if (ch === delimiter) {
      endCell();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (options.skipBlank && cells.length === 0 && blank && !quotedCell) {
        cell = '';
        // A run of empty lines is passed over by char code, without a string per character (8 MB of newlines).
        for (let c = text.charCodeAt(i + 1); c === 10 || c === 13; c = text.charCodeAt(i + 1)) {
          i += c === 13 && text.charCodeAt(i + 2) === 10 ? 2 : 1;
          line++;
        }
      } else {
        endCell();
        yield { line: recordLine, cells };
        cells = [];
      }
      line++;
      recordLine = line;
    } else if (!(quotedCell && /\s/.test(ch))) {
      // (whitespace after a closing quote is dropped; anything else after it is kept, as spreadsheets do)
      add(ch);
    }
  }
  if (inQuotes) throw new CsvSyntaxError(quoteLine, 'a quoted value is never closed');
  if (cell !== '' || cells.length > 0 || quotedCell) {
    endCell();
    if (!(options.skipBlank && cells.every((c) => c === ''))) yield { line: recordLine, cells };
  }
}

/** Every record of the text, blank lines included (as one empty cell), cells trimmed. */
export function readCsv(input: string, delimiter?: string): CsvRecord[] {
  return [...csvRecords(input, delimiter === undefined ? {} : { delimiter })];
}

/** A record with nothing in it: an empty line, or only delimiters. */
export const isEmptyRecord = (r: CsvRecord): boolean => r.cells.every((c) => c === '');
