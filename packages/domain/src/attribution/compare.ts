import { currentRows, type StoredReportRow } from './periods.js';
import type { ReportLevel, ReportRow } from './report-row.js';

export interface AttributionSummary {
  purchases: number;
  unitsSold: number;
  sales: number;
  /** Amazon's click-throughs on the tags, when the report carries them */
  clickThroughs: number | null;
  /** promoted products plus the brand's other products (Amazon's `Total …` columns); each null unless every row carries it */
  withBrandHalo: { purchases: number | null; unitsSold: number | null; sales: number | null } | null;
  /** Amazon's estimated Brand Referral Bonus, when the report carries it */
  brandReferralBonus: number | null;
  /** which rows the totals add up: campaign rows when there are any, else ad groups, else creatives — never a mix */
  level: ReportLevel;
  reportedFrom: string;
  reportedThrough: string;
  estimatedPurchases: number;
  /** attributed purchases minus the click estimate */
  difference: number;
  explanation: string;
}

export const ATTRIBUTION_EXPLANATION =
  'The estimate counts influencers who clicked their purchase link, including people who did not buy; Amazon ' +
  'Attribution counts actual orders, reports them up to ~48 h late and keeps revising them for 14 days.';

const cents = (n: number) => Math.round(n * 100) / 100;

/** Sum of a field over rows, or null when any row lacks it (a partial sum would read as a total). */
function sumIfAll(
  rows: readonly ReportRow[],
  field: 'clicks' | 'totalPurchases' | 'totalUnitsSold' | 'totalSales' | 'brbBonus',
): number | null {
  let sum = 0;
  for (const r of rows) {
    const v = r[field];
    if (v === null || v === undefined) return null;
    sum += v;
  }
  return sum;
}

/** The level the campaign's totals come from: its own rows when Amazon gave them, else the finest it gave. */
export function totalsLevel(rows: readonly Pick<ReportRow, 'level'>[]): ReportLevel | null {
  for (const level of ['campaign', 'adGroup', 'creative'] as const)
    if (rows.some((r) => r.level === level)) return level;
  return null;
}

/** Campaign figures from the rows in force, next to the click estimate. */
export function compareAttribution(
  stored: readonly StoredReportRow[],
  estimatedPurchases: number,
): AttributionSummary | null {
  const current = currentRows(stored);
  const level = totalsLevel(current);
  if (!level) return null;
  const rows = current.filter((r) => r.level === level);
  let purchases = 0;
  let unitsSold = 0;
  let sales = 0;
  let reportedFrom = '9999-12-31';
  let reportedThrough = '';
  for (const row of rows) {
    purchases += row.purchases;
    unitsSold += row.unitsSold;
    sales += row.sales;
    if (row.from < reportedFrom) reportedFrom = row.from;
    if (row.to > reportedThrough) reportedThrough = row.to;
  }
  const [haloPurchases, haloUnits, haloSales, bonus] = [
    sumIfAll(rows, 'totalPurchases'),
    sumIfAll(rows, 'totalUnitsSold'),
    sumIfAll(rows, 'totalSales'),
    sumIfAll(rows, 'brbBonus'),
  ];
  return {
    purchases,
    unitsSold,
    sales: cents(sales),
    clickThroughs: sumIfAll(rows, 'clicks'),
    withBrandHalo:
      haloPurchases === null && haloUnits === null && haloSales === null
        ? null
        : { purchases: haloPurchases, unitsSold: haloUnits, sales: haloSales === null ? null : cents(haloSales) },
    brandReferralBonus: bonus === null ? null : cents(bonus),
    level,
    reportedFrom,
    reportedThrough,
    estimatedPurchases,
    difference: purchases - estimatedPurchases,
    explanation: ATTRIBUTION_EXPLANATION,
  };
}

/** A summary computed once (at upload) set beside today's click estimate: only the estimate and difference move. */
export function withEstimate(totals: AttributionSummary | null, estimatedPurchases: number): AttributionSummary | null {
  return totals && { ...totals, estimatedPurchases, difference: totals.purchases - estimatedPurchases };
}
