import { describe, expect, it } from 'vitest';
import { parseReportCsv, parseReportJson, type ReportParse } from './report-parse.js';
import type { ReportRow } from './report-row.js';

const rowsOf = (p: ReportParse): ReportRow[] => {
  if (!p.ok) throw new Error(`expected rows, got ${JSON.stringify(p.error)}`);
  return p.rows;
};
const errorOf = (p: ReportParse) => {
  if (p.ok) throw new Error('expected an error');
  return p.error;
};

// As Amazon's POST /attribution/report answers (groupBy CREATIVE): strings everywhere, unrounded sales.
const API_CREATIVE_ROW = {
  date: '20250301',
  attributedAddToCartClicks14d: '5',
  campaignId: '16719043411',
  attributedDetailPageViewsClicks14d: '30',
  attributedPurchases14d: '3',
  attributedTotalAddToCartClicks14d: '6',
  attributedTotalPurchases14d: '4',
  adGroupId: '135021988277',
  advertiserName: 'Glow Co',
  creativeId: '9001',
  totalUnitsSold14d: '5',
  unitsSold14d: '4',
  'Click-throughs': '30',
  publisher: 'Instagram',
  attributedTotalDetailPageViewsClicks14d: '33',
  attributedSales14d: '191.95999999999998',
  totalAttributedSales14d: '221.95',
};
const API_CAMPAIGN_ROW = {
  date: '20250302',
  attributedAddToCartClicks14d: '1',
  brb_bonus_amount: '14.280000000000001',
  campaignId: '3936789099315437-B082P9Y919',
  attributedDetailPageViewsClicks14d: '9',
  attributedPurchases14d: '0',
  attributedTotalAddToCartClicks14d: '1',
  attributedTotalPurchases14d: '0',
  advertiserName: 'Glow Co',
  totalUnitsSold14d: '0',
  unitsSold14d: '0',
  'Click-throughs': '12',
  attributedTotalDetailPageViewsClicks14d: '16',
  attributedSales14d: '0',
  totalAttributedSales14d: '0',
};

const CONSOLE_EXPORT = [
  '\ufeff"Amazon Attribution - Campaign performance"',
  '"Date range: 03/01/2025 - 03/31/2025"',
  '',
  '"Campaign","Ad group","Publisher","Click-throughs","DPV","ATC","Purchases","Total purchases","Units sold","Product sales"',
  '"Spring Glow","Creators","Instagram","1,057","612","98","41","47","52","$1,179.94"',
  '"Spring Glow","Stories","Instagram","230","101","12","6","6","7","$209.93"',
  '"Total","","","1,287","713","110","47","53","59","$1,389.87"',
].join('\r\n');

describe('parseReportJson', () => {
  it('reads the Amazon Ads API answer: creative and campaign rows, promoted and brand-halo figures apart', () => {
    const rows = rowsOf(parseReportJson({ reports: [API_CREATIVE_ROW, API_CAMPAIGN_ROW], size: 2, cursorId: 'abc' }));
    expect(rows[0]).toMatchObject({
      level: 'creative',
      key: '9001',
      from: '2025-03-01',
      to: '2025-03-01',
      amazonCampaignId: '16719043411',
      adGroupId: '135021988277',
      creativeId: '9001',
      publisher: 'Instagram',
      clicks: 30,
      detailPageViews: 30,
      addToCarts: 5,
      purchases: 3,
      unitsSold: 4,
      sales: 191.95999999999998,
      totalDetailPageViews: 33,
      totalAddToCarts: 6,
      totalPurchases: 4,
      totalUnitsSold: 5,
      totalSales: 221.95,
      brbBonus: null,
    });
    expect(rows[1]).toMatchObject({
      level: 'campaign',
      key: '3936789099315437-B082P9Y919',
      clicks: 12,
      purchases: 0,
      brbBonus: 14.280000000000001,
      creativeId: null,
    });
  });

  it('reads a bare array of those rows, and our own {rows} with numbers', () => {
    expect(rowsOf(parseReportJson([API_CREATIVE_ROW]))).toHaveLength(1);
    const ours = rowsOf(
      parseReportJson({
        rows: [
          {
            date: '2025-03-01',
            clicks: 100,
            detailPageViews: 60,
            addToCarts: 10,
            purchases: 3,
            unitsSold: 4,
            sales: 59.97,
          },
        ],
      }),
    );
    expect(ours).toEqual([
      expect.objectContaining({
        level: 'campaign',
        key: '',
        from: '2025-03-01',
        purchases: 3,
        sales: 59.97,
        totalPurchases: null,
      }),
    ]);
  });

  it('names the row and the key Amazon used for a bad or missing value, and keeps nothing', () => {
    const bad = errorOf(
      parseReportJson({
        reports: [
          API_CREATIVE_ROW,
          { ...API_CREATIVE_ROW, attributedSales14d: 'lots' },
          { ...API_CREATIVE_ROW, date: '20250230', creativeId: '9002' },
        ],
      }),
    );
    expect(bad.code).toBe('invalid_request');
    expect(bad.details.map((d) => d.path)).toEqual(['body.reports.1.attributedSales14d', 'body.reports.2.date']);
    const { unitsSold14d: _dropped, ...withoutUnits } = API_CREATIVE_ROW;
    const missing = errorOf(parseReportJson([API_CREATIVE_ROW, { ...withoutUnits, creativeId: '9003' }]));
    expect(missing.details).toEqual([{ path: 'body.1.unitsSold14d', message: 'is missing' }]);
  });

  it('refuses an unknown envelope, non-object rows, empty uploads and rows without the figures', () => {
    expect(errorOf(parseReportJson({ data: [] })).code).toBe('unrecognised_report');
    expect(errorOf(parseReportJson({ reports: [1] })).details[0]?.path).toBe('body.reports.0');
    expect(errorOf(parseReportJson({ reports: [], cursorId: null })).message).toMatch(/no report rows/);
    const noFigures = errorOf(parseReportJson([{ date: '20250301', campaignId: '1', clicks: '3' }]));
    expect(noFigures.code).toBe('unrecognised_report');
    expect(noFigures.message).toMatch(
      /^header is missing: purchases \(attributedPurchases14d, Purchases\), unitsSold \(unitsSold14d, Units sold\), sales/,
    );
  });
});

describe('parseReportCsv', () => {
  it('reads the console export: BOM, title and date-range lines, quoted separators and currency, Total row skipped', () => {
    const rows = rowsOf(parseReportCsv(CONSOLE_EXPORT));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      level: 'adGroup',
      from: '2025-03-01',
      to: '2025-03-31',
      campaignName: 'Spring Glow',
      adGroupName: 'Creators',
      publisher: 'Instagram',
      clicks: 1057,
      detailPageViews: 612,
      addToCarts: 98,
      purchases: 41,
      totalPurchases: 47,
      unitsSold: 52,
      sales: 1179.94,
      totalSales: null,
    });
    expect(rows[1]?.key).not.toBe(rows[0]?.key);
  });

  it('keeps a campaign whose name starts with "Total"; skips "Grand total:" rows', () => {
    const csv = CONSOLE_EXPORT.replace('"Spring Glow","Stories"', '"Total Beauty Launch","Stories"').replace(
      '"Total",',
      '"Grand total:",',
    );
    expect(rowsOf(parseReportCsv(csv)).map((r) => r.campaignName)).toEqual(['Spring Glow', 'Total Beauty Launch']);
  });

  it('reads the API fields as CSV and our own columns, whatever their case', () => {
    const header = Object.keys(API_CREATIVE_ROW);
    const csv = `${header.join(',')}\n${header.map((k) => API_CREATIVE_ROW[k as keyof typeof API_CREATIVE_ROW]).join(',')}\n`;
    expect(rowsOf(parseReportCsv(csv))[0]).toMatchObject({
      level: 'creative',
      creativeId: '9001',
      sales: 191.95999999999998,
      totalPurchases: 4,
    });
    const ours = rowsOf(
      parseReportCsv(
        'DATE,Clicks,detailpageviews,AddToCarts,PURCHASES,unitsSold,Sales\n2025-03-02,90,50,9,7,8,139.93\n',
      ),
    );
    expect(ours[0]).toMatchObject({ level: 'campaign', from: '2025-03-02', purchases: 7, sales: 139.93 });
  });

  it('names the line and the column as the file spells it', () => {
    const broken = CONSOLE_EXPORT.replace('"6","6","7"', '"6","6","seven"');
    expect(errorOf(parseReportCsv(broken)).details).toEqual([
      { path: 'line 6.Units sold', message: '"seven" is not a number' },
    ]);
    const ragged = errorOf(parseReportCsv('date,purchases,unitsSold,sales\n2025-03-01,1\n'));
    expect(ragged.details.map((d) => d.path)).toEqual(['line 2.unitsSold', 'line 2.sales']);
  });

  it('needs a date: a column, or a range above the header', () => {
    const undated = CONSOLE_EXPORT.replace('"Date range: 03/01/2025 - 03/31/2025"', '"Campaign performance"');
    expect(errorOf(parseReportCsv(undated)).details[0]).toEqual({
      path: 'line 5.date',
      message: 'has no date (and no date range is given above the header)',
    });
  });

  it('answers a file without a recognisable header with the columns expected', () => {
    const none = errorOf(parseReportCsv('name,colour\nava,red\n'));
    expect(none.code).toBe('unrecognised_report');
    expect(none.message).toMatch(/Click-throughs, DPV, ATC, Purchases/);
    expect(none.message).toMatch(/attributedPurchases14d/);
    const near = errorOf(parseReportCsv('date,clicks,purchases\n2025-03-01,1,1\n'));
    expect(near.message).toMatch(
      /^header is missing: unitsSold \(unitsSold14d, Units sold\), sales \(attributedSales14d, Product sales\) \(line 1\)/,
    );
  });

  it('answers an unclosed quote as a CSV error naming its line', () => {
    expect(errorOf(parseReportCsv('date,purchases,unitsSold,sales\n2025-03-01,"1,1,1\n'))).toMatchObject({
      code: 'invalid_csv',
      details: [{ path: 'line 2' }],
    });
  });

  it('lets the last row of a slot win within an upload, and refuses overlapping periods of one entity', () => {
    const twice = rowsOf(
      parseReportCsv('date,purchases,unitsSold,sales\n2025-03-03,1,1,19.99\n2025-03-03,2,2,39.98\n'),
    );
    expect(twice).toEqual([expect.objectContaining({ purchases: 2 })]);
    const overlapping = errorOf(
      parseReportCsv(
        'start date,end date,purchases,unitsSold,sales\n2025-03-01,2025-03-31,1,1,1\n2025-03-15,2025-03-15,1,1,1\n',
      ),
    );
    expect(overlapping.details[0]).toEqual({
      path: 'line 3',
      message: expect.stringMatching(/overlaps line 2 for the same campaign/),
    });
  });
});
