import { afterEach, describe, expect, it } from 'vitest';
import { callOffThread, type OffThreadCall } from '@seedline/testkit';

// The built module (npm test builds first), called on a worker thread: on a super-linear pattern a call runs
// for hours, and the test fails on its timeout instead of freezing the whole run.
const DOMAIN = new URL('../dist/index.js', import.meta.url).href;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});
const answers = (...calls: OffThreadCall[]) => {
  const { results, stop } = callOffThread(DOMAIN, calls);
  stops.push(stop);
  return results;
};

// The payloads of issue 19: each one held the API's event loop for minutes.
const openBraceThenSpaces = `{{${' '.repeat(10_000)}`;
const digitSpacesLetter = `1${' '.repeat(1_000_000)}x`;
const values = { handle: 'h', campaignName: 'c', brandName: 'b', link: 'l', submitLink: 's', unsubscribeLink: 'u' };

describe('user input never meets a super-linear parse', () => {
  it('reads a template of `{{` and 10,000 spaces as holding no placeholder', async () => {
    expect(
      await answers(
        ['unknownPlaceholders', [openBraceThenSpaces]],
        ['templateProblem', ['text', openBraceThenSpaces]],
        ['renderTemplate', ['html', `${openBraceThenSpaces}{{ link }}`, values]],
        ['unknownPlaceholders', [`{{ a${' '.repeat(10_000)}}} {{${'{'.repeat(10_000)}`]],
      ),
    ).toEqual([[], 'must contain {{link}} and {{unsubscribeLink}}', `${openBraceThenSpaces}l`, ['a']]);
  });

  it('refuses a sales cell of "1", a million spaces and "x", naming the limit', async () => {
    const [amount, short, count, day] = await answers(
      ['parseAmount', [digitSpacesLetter]],
      ['parseAmount', [`1${' '.repeat(60)}x`]],
      ['parseCount', ['1.000'.repeat(200_000)]],
      ['parseDay', [`2025${' '.repeat(1_000_000)}x`]],
    );
    expect(amount).toEqual({ ok: false, message: 'is longer than 64 characters' });
    expect(short).toMatchObject({ ok: false, message: expect.stringMatching(/is not a number/) });
    expect(count).toMatchObject({ ok: false });
    expect(day).toMatchObject({ ok: false });
  });

  it('answers a report upload carrying that cell with a 400 naming its line and column', async () => {
    const csv = `date,purchases,units sold,sales\n2025-03-01,1,1,${digitSpacesLetter}\n`;
    const row = { date: '2025-03-01', clicks: 1, detailPageViews: 1, addToCarts: 1, purchases: 1, unitsSold: 1 };
    const [fromCsv, fromJson] = await answers(
      ['parseReportCsv', [csv]],
      ['parseReportJson', [{ rows: [{ ...row, sales: digitSpacesLetter }] }]],
    );
    // A million spaces stop at the CSV reader's cell cap, before any figure is parsed.
    expect(fromCsv).toMatchObject({
      ok: false,
      error: { code: 'invalid_csv', details: [{ path: 'line 2', message: 'a value is longer than 4096 characters' }] },
    });
    expect(fromJson).toMatchObject({
      ok: false,
      error: { details: [{ path: 'body.rows.0.sales', message: 'is longer than 64 characters' }] },
    });
  });

  it('strips trailing slashes in one pass', async () => {
    const [trimmed, untouched] = await answers(
      ['trimEndOf', [`https://x.example${'/'.repeat(1_000_000)}`, '/']],
      ['trimEndOf', [`${'/'.repeat(1_000_000)}x`, '/']],
    );
    expect(trimmed).toBe('https://x.example');
    expect(untouched).toHaveLength(1_000_001);
  });
});
