import { describe, expect, it } from 'vitest';
import { compareAttribution } from './compare.js';
import { creativeFigures } from './influencer-figures.js';
import { currentRows, reportRowSlot, supersededIds, type StoredReportRow } from './periods.js';
import type { ReportRow } from './report-row.js';

const blank: Omit<ReportRow, 'level' | 'key' | 'from' | 'to' | 'purchases' | 'unitsSold' | 'sales'> = {
  amazonCampaignId: null,
  campaignName: null,
  adGroupId: null,
  adGroupName: null,
  creativeId: null,
  creativeName: null,
  publisher: null,
  clicks: null,
  detailPageViews: null,
  addToCarts: null,
  totalDetailPageViews: null,
  totalAddToCarts: null,
  totalPurchases: null,
  totalUnitsSold: null,
  totalSales: null,
  brbBonus: null,
};
let uploads = 0;
function row(
  level: ReportRow['level'],
  key: string,
  from: string,
  to: string,
  f: Partial<ReportRow> = {},
  uploadedAt = `2025-04-01T00:00:0${uploads}Z`,
): StoredReportRow {
  const r = {
    ...blank,
    level,
    key,
    from,
    to,
    purchases: 0,
    unitsSold: 0,
    sales: 0,
    ...(level === 'creative' ? { creativeId: key } : {}),
    ...f,
  };
  return { ...r, id: reportRowSlot(r), uploadedAt };
}
const nextUpload = () => `2025-04-01T00:00:0${++uploads}Z`;

describe('rows in force', () => {
  it('lets a newer upload of an entity replace the overlapping periods of older ones, and nothing else', () => {
    const first = nextUpload();
    const daily = ['2025-03-01', '2025-03-02', '2025-04-01'].map((d) =>
      row('creative', 'c1', d, d, { purchases: 1 }, first),
    );
    const other = row('creative', 'c2', '2025-03-01', '2025-03-01', { purchases: 5 }, first);
    const month = row('creative', 'c1', '2025-03-01', '2025-03-31', { purchases: 7 }, nextUpload());
    const current = currentRows([...daily, other, month]);
    expect(current.map((r) => `${r.key} ${r.from}-${r.to} ${r.purchases}`).sort()).toEqual([
      'c1 2025-03-01-2025-03-31 7',
      'c1 2025-04-01-2025-04-01 1',
      'c2 2025-03-01-2025-03-01 5',
    ]);
    expect(supersededIds([...daily, other], [month]).sort()).toEqual([daily[0]?.id, daily[1]?.id].sort());
    // a restated day lands on its own slot: replaced in place, not listed as superseded
    expect(supersededIds(daily, [row('creative', 'c1', '2025-03-01', '2025-03-01')])).toEqual([]);
  });
});

describe('campaign totals', () => {
  it('come from campaign rows when there are any, never adding the creatives on top', () => {
    const rows = [
      row('campaign', '111', '2025-03-01', '2025-03-01', {
        purchases: 10,
        unitsSold: 12,
        sales: 300.005,
        clicks: 200,
        totalPurchases: 14,
      }),
      row('creative', 'c1', '2025-03-01', '2025-03-01', { purchases: 4, unitsSold: 4, sales: 100 }),
    ];
    expect(compareAttribution(rows, 6)).toMatchObject({
      level: 'campaign',
      purchases: 10,
      unitsSold: 12,
      sales: 300.01,
      clickThroughs: 200,
      withBrandHalo: { purchases: 14, unitsSold: null, sales: null },
      estimatedPurchases: 6,
      difference: 4,
      reportedFrom: '2025-03-01',
      reportedThrough: '2025-03-01',
    });
  });

  it('add up the creatives when no campaign or ad-group rows exist, and are null with no rows', () => {
    const rows = [
      row('creative', 'c1', '2025-03-01', '2025-03-01', { purchases: 4, unitsSold: 5, sales: 0.1, clicks: 40 }),
      row('creative', 'c2', '2025-03-02', '2025-03-02', { purchases: 1, unitsSold: 1, sales: 0.2 }),
    ];
    expect(compareAttribution(rows, 0)).toMatchObject({
      level: 'creative',
      purchases: 5,
      unitsSold: 6,
      sales: 0.3,
      clickThroughs: null,
      withBrandHalo: null,
      reportedThrough: '2025-03-02',
    });
    expect(compareAttribution([], 3)).toBeNull();
  });
});

describe('creativeFigures', () => {
  it('sums the creative rows in force per creative id and marks what Amazon hides under 10 clicks', () => {
    const figures = creativeFigures([
      row('creative', 'c1', '2025-03-01', '2025-03-01', {
        clicks: 30,
        purchases: 3,
        unitsSold: 4,
        sales: 191.95999999999998,
      }),
      row('creative', 'c1', '2025-03-02', '2025-03-02', { clicks: 5, purchases: 1, unitsSold: 1, sales: 10 }),
      row('creative', 'c2', '2025-03-01', '2025-03-01', { clicks: 9 }),
      row('creative', 'c3', '2025-03-01', '2025-03-01', { clicks: 12 }),
      row('creative', 'c4', '2025-03-01', '2025-03-01', { clicks: 2, purchases: 1, unitsSold: 1, sales: 5 }),
      row('campaign', '111', '2025-03-01', '2025-03-01', { clicks: 1, purchases: 99 }),
    ]);
    expect(Object.fromEntries(figures)).toEqual({
      c1: { clickThroughs: 35, purchases: 4, unitsSold: 5, sales: 201.96, masked: false },
      c2: { clickThroughs: 9, purchases: 0, unitsSold: 0, sales: 0, masked: true },
      c3: { clickThroughs: 12, purchases: 0, unitsSold: 0, sales: 0, masked: false },
      c4: { clickThroughs: 2, purchases: 1, unitsSold: 1, sales: 5, masked: false },
    });
  });
});
