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
    message: string,
  ) {
    super(`line ${line}: ${message}`);
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

/** Every record of the text, blank lines included (as one empty cell), cells trimmed. */
export function readCsv(input: string, delimiter = detectDelimiter(input)): CsvRecord[] {
  const text = stripBom(input);
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quotedCell = false;
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endCell = () => {
    cells.push(quotedCell ? cell : cell.trim());
    cell = '';
    quotedCell = false;
  };
  const endRecord = () => {
    endCell();
    records.push({ line: recordLine, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        inQuotes = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '' && !quotedCell) {
      inQuotes = true;
      quotedCell = true;
      quoteLine = line;
      cell = '';
    } else if (ch === delimiter) {
      endCell();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (!(quotedCell && /\s/.test(ch))) {
      // (whitespace after a closing quote is dropped; anything else after it is kept, as spreadsheets do)
      cell += ch;
    }
  }
  if (inQuotes) throw new CsvSyntaxError(quoteLine, 'a quoted value is never closed');
  if (cell !== '' || cells.length > 0 || quotedCell) endRecord();
  return records;
}

/** A record with nothing in it: an empty line, or only delimiters. */
export const isEmptyRecord = (r: CsvRecord): boolean => r.cells.every((c) => c === '');
