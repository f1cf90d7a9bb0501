import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, detectDelimiter, readCsv } from './csv-records.js';

describe('readCsv', () => {
  it('reads quoted cells with delimiters, doubled quotes and line breaks, numbering records by their first line', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""",3\n"multi\nline",2,"$1,179.94"\n\nlast,1,\n';
    expect(readCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', '3'] },
      { line: 3, cells: ['multi\nline', '2', '$1,179.94'] },
      { line: 5, cells: [''] },
      { line: 6, cells: ['last', '1', ''] },
    ]);
  });

  it('keeps a quote inside an unquoted cell and trims unquoted cells', () => {
    expect(readCsv(' 5" screen , 2 ')).toEqual([{ line: 1, cells: ['5" screen', '2'] }]);
  });

  it('names the line where an unclosed quote starts', () => {
    expect(() => readCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvSyntaxError);
    try {
      readCsv('a,b\n1,"open\n2,3\n');
    } catch (err) {
      expect((err as CsvSyntaxError).line).toBe(2);
    }
  });

  it('detects semicolon and tab delimited exports, not fooled by commas in quotes or a title line', () => {
    expect(detectDelimiter('Date range: Mar 1, 2025 - Mar 31, 2025\na;b;c;d\n1;"1,5";2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc\n"$1,179.94"\t2\t3\n')).toBe('\t');
    expect(detectDelimiter('a,b\n1,2\n')).toBe(',');
    expect(readCsv('a;b\n"1,5";2').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1,5', '2'],
    ]);
  });
});
