import { describe, expect, it } from 'vitest';
import { csvRecords, MAX_CSV_CELL } from './csv-records.js';
import { MAX_REPORT_ROWS, parseReportCsv, parseReportJson } from './report-parse.js';
import { MAX_TAGS_PER_UPLOAD, parseTagsCsv, parseTagsJson } from './tag-upload.js';

const header = 'date,purchases,units sold,sales\n';
const row = '2025-03-01,1,1,1.00\n';

describe('upload caps', () => {
  it('reads 8 MB of newlines without building a record per line', () => {
    const newlines = '\n'.repeat(8 * 1024 * 1024);
    expect([...csvRecords(newlines, { skipBlank: true })]).toEqual([]);
    expect(parseReportCsv(newlines)).toMatchObject({ ok: false, error: { code: 'unrecognised_report' } });
  });

  it('stops reading at the row cap and says so as payload_too_large', () => {
    const records = csvRecords(header + row.repeat(MAX_REPORT_ROWS * 50));
    let read = 0;
    for (const _ of records) if (++read > 3) break;
    expect(read).toBe(4);
    expect(parseReportCsv(header + row.repeat(MAX_REPORT_ROWS + 1))).toMatchObject({
      ok: false,
      error: { code: 'payload_too_large', message: expect.stringContaining(`more than ${MAX_REPORT_ROWS} rows`) },
    });
    expect(parseReportCsv(header + row.repeat(MAX_REPORT_ROWS))).toMatchObject({ ok: true });
    const rows = Array.from({ length: MAX_REPORT_ROWS + 1 }, () => ({ date: '2025-03-01' }));
    expect(parseReportJson({ rows })).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
  });

  it('counts every row once when rows are bad: 400 under the cap, 413 over it', () => {
    // 50 bad rows stop the row checks; the rest are only counted, from where the checks stopped.
    const bad = (n: number) =>
      Array.from({ length: n }, () => ({ date: '2025-03-01', purchases: -1, unitsSold: 1, sales: 1 }));
    expect(parseReportJson({ rows: bad(MAX_REPORT_ROWS - 10) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(parseReportJson({ rows: bad(MAX_REPORT_ROWS + 1) })).toMatchObject({
      ok: false,
      error: { code: 'payload_too_large' },
    });
    const badLine = '2025-03-01,-1,1,1.00\n';
    expect(parseReportCsv(header + badLine.repeat(MAX_REPORT_ROWS - 10))).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(parseReportCsv(header + badLine.repeat(MAX_REPORT_ROWS + 2000))).toMatchObject({
      ok: false,
      error: { code: 'payload_too_large' },
    });
  });

  it('refuses a cell over the cap and a line of too many columns, naming the line', () => {
    expect(parseReportCsv(`${header}2025-03-01,1,1,${'9'.repeat(MAX_CSV_CELL + 1)}\n`)).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_csv',
        details: [{ path: 'line 2', message: `a value is longer than ${MAX_CSV_CELL} characters` }],
      },
    });
    expect(parseReportCsv(`${header}${','.repeat(8 * 1024 * 1024)}\n`)).toMatchObject({
      ok: false,
      error: { code: 'invalid_csv', details: [{ path: 'line 2', message: 'more than 256 columns' }] },
    });
  });

  it('caps tag uploads the same way', () => {
    const tagLine = 'someone,https://www.amazon.com/dp/B0?aa_campaignid=1&aa_adgroupid=2&aa_creativeid=3\n';
    expect(parseTagsCsv(`instagramHandle,url\n${tagLine.repeat(MAX_TAGS_PER_UPLOAD + 1)}`)).toMatchObject({
      ok: false,
      error: { code: 'payload_too_large' },
    });
    const tags = Array.from({ length: MAX_TAGS_PER_UPLOAD + 1 }, () => ({}));
    expect(parseTagsJson({ tags })).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
  });
});
