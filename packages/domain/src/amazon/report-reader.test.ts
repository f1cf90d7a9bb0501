import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AmazonReportReader, type ReportRead } from './report-reader.js';
import type { ReportKind } from './report-kinds.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const RETURNS: ReportKind[] = ['fba_returns', 'seller_returns'];

/** Reads text in chunks of `size` characters, as a request body arrives. */
function read(
  text: string,
  accept: readonly ReportKind[],
  size = 7,
  limits?: { maxLineChars: number; maxRecords: number },
): ReportRead {
  const reader = new AmazonReportReader(accept, limits);
  for (let i = 0; i < text.length; i += size) reader.push(text.slice(i, i + size));
  return reader.end();
}

function failure(r: ReportRead) {
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('Amazon report readers', () => {
  it('reads the FBA customer returns report as downloaded (BOM, CRLF, a trailing tab, offsets, an empty order-id)', () => {
    for (const size of [1, 7, 4096]) {
      const r = read(fixture('fba-customer-returns.txt'), RETURNS, size);
      expect(r).toEqual({
        ok: true,
        kind: 'fba_returns',
        returns: [
          {
            line: 2,
            orderId: '113-4827361-9283746',
            asin: 'B0CX7Q2M1N',
            quantity: 1,
            returnedOn: '2026-11-30',
            returnedAt: '2026-11-30T09:12:44.000Z',
          },
          {
            line: 3,
            orderId: '114-0001112-2223334',
            asin: 'B0CX7Q2M1N',
            quantity: 2,
            returnedOn: '2026-12-01',
            returnedAt: '2026-12-02T01:45:00.000Z',
          },
          {
            line: 4,
            orderId: null,
            asin: 'B0CX7Q2M1N',
            quantity: 1,
            returnedOn: '2026-12-02',
            returnedAt: '2026-12-01T21:30:00.000Z',
          },
        ],
      });
    }
  });

  it('reads the seller-fulfilled returns report (every documented column, two date forms)', () => {
    const r = read(fixture('seller-fulfilled-returns.txt'), RETURNS);
    expect(r.ok && r.kind).toBe('seller_returns');
    expect(r.ok && r.kind !== 'all_orders' ? r.returns : []).toEqual([
      {
        line: 2,
        orderId: '112-9988776-5544332',
        asin: 'B0CX7Q2M1N',
        quantity: 1,
        returnedOn: '2026-12-01',
        returnedAt: '2026-12-01T08:30:00.000Z',
      },
      {
        line: 3,
        orderId: '113-1234567-7654321',
        asin: 'B0CX7Q2M1N',
        quantity: 1,
        returnedOn: '2026-12-02',
        returnedAt: '2026-12-02T15:00:00.000Z',
      },
    ]);
  });

  it('reads the all-orders report: exact prices, pending orders without a price, cancelled items kept as such', () => {
    const r = read(fixture('all-orders.txt'), ['all_orders'], 13);
    if (!r.ok || r.kind !== 'all_orders') throw new Error(JSON.stringify(r));
    expect(r.orders.map((o) => [o.line, o.orderId, o.asin, o.quantity, o.orderStatus, o.itemStatus, o.price])).toEqual([
      [2, '113-4827361-9283746', 'B0CX7Q2M1N', 1, 'Shipped', 'Shipped', { currency: 'USD', minor: 2499 }],
      [3, '112-9988776-5544332', 'B0CX7Q2M1N', 2, 'Shipped', 'Shipped', { currency: 'USD', minor: 4998 }],
      [4, '112-9988776-5544332', 'B0OTHERASIN', 1, 'Shipped', 'Shipped', { currency: 'USD', minor: 999 }],
      [5, '114-5556667-7778889', 'B0CX7Q2M1N', 1, 'Pending', 'Unshipped', null],
      [6, '111-0000000-0000001', 'B0CX7Q2M1N', 1, 'Cancelled', 'Cancelled', { currency: 'USD', minor: 2499 }],
    ]);
    expect(r.orders[0]?.purchasedAt).toBe('2026-11-25T18:22:31.000Z');
  });

  it('reads a report re-saved as CSV by a spreadsheet (quotes, commas in names)', () => {
    const csv =
      'return-date,order-id,sku,asin,fnsku,product-name,quantity,fulfillment-center-id,detailed-disposition,reason,status\n' +
      '2026-11-30T09:12:44+00:00,113-4827361-9283746,SKU,B0CX7Q2M1N,X0,"Serum, 30 ml ""travel""",1,PHX7,SELLABLE,UNWANTED_ITEM,Unit returned\n';
    const r = read(csv, RETURNS, 5);
    expect(r.ok && r.kind !== 'all_orders' && r.returns[0]?.orderId).toBe('113-4827361-9283746');
  });

  it('names the line and the column of every bad value, and keeps nothing', () => {
    const text = fixture('fba-customer-returns.txt')
      .replace('113-4827361-9283746', '113-48273619283746')
      .replace('\t2\tONT8', '\ttwo\tONT8')
      .replace('2026-12-02T03:00:00+05:30', '2026-12-02 03:00');
    const e = failure(read(text, RETURNS));
    expect(e.code).toBe('invalid_report');
    expect(e.details).toEqual([
      { path: 'line 2.order-id', message: '"113-48273619283746" is not an Amazon order number (NNN-NNNNNNN-NNNNNNN)' },
      { path: 'line 3.quantity', message: '"two" is not a whole number of units' },
      { path: 'line 4.return-date', message: expect.stringContaining('no time zone') },
    ]);
    expect(e.message).toBe(
      'line 2.order-id: "113-48273619283746" is not an Amazon order number (NNN-NNNNNNN-NNNNNNN) (and 2 more)',
    );
    const price = fixture('all-orders.txt').replace('\t49.98\t', '\t49,98\t');
    expect(failure(read(price, ['all_orders'])).details).toEqual([
      { path: 'line 3.item-price', message: '"49,98" is not an amount such as 24.99' },
    ]);
  });

  it('recognises reports by their header and refuses the wrong one or an unknown one', () => {
    expect(failure(read(fixture('all-orders.txt'), RETURNS))).toMatchObject({
      code: 'wrong_report',
      message: expect.stringContaining('this is the all-orders report'),
    });
    expect(failure(read(fixture('fba-customer-returns.txt'), ['all_orders'])).code).toBe('wrong_report');
    const near = failure(read('return-date\torder-id\tasin\tquantity\n', RETURNS));
    expect(near).toMatchObject({ code: 'unrecognised_report', details: [{ path: 'line 1' }] });
    expect(near.message).toContain('looks like the FBA customer returns report but has no detailed-disposition');
    expect(failure(read('name,email\nA,b@c.d\n', RETURNS)).code).toBe('unrecognised_report');
    expect(failure(read('', RETURNS)).code).toBe('empty_report');
    expect(failure(read('\n\n', ['all_orders'])).code).toBe('empty_report');
  });

  it('caps line length and rows, naming the line', () => {
    const long = `return-date\torder-id\tasin\tquantity\tdetailed-disposition\n${'x'.repeat(200)}\n`;
    expect(failure(read(long, RETURNS, 7, { maxLineChars: 100, maxRecords: 10 }))).toMatchObject({
      code: 'invalid_report',
      message: 'line 2: a line longer than 100 characters',
    });
    const rows = fixture('fba-customer-returns.txt');
    expect(failure(read(rows, RETURNS, 7, { maxLineChars: 1000, maxRecords: 3 })).message).toBe(
      'line 4: more than 2 rows: split the report',
    );
    // A first line that never ends is capped too (the delimiter is not known until it ends).
    expect(failure(read('a'.repeat(500), RETURNS, 50, { maxLineChars: 100, maxRecords: 10 })).message).toContain(
      'longer than 100',
    );
    expect(failure(read('a,"b\n', RETURNS)).message).toBe('line 1: a quoted value is never closed');
  });

  it('refuses values beyond the header', () => {
    const text = fixture('all-orders.txt').replace(/\n$/, '\tstray\n');
    expect(failure(read(text, ['all_orders'])).details[0]?.path).toBe('line 6');
  });
});
