import type { AttributionRow } from '../requests/api.schema.js';

export interface AttributionSummary {
  purchases: number;
  unitsSold: number;
  sales: number;
  reportedThrough: string;
  estimatedPurchases: number;
  /** attributed purchases minus the click estimate */
  difference: number;
  explanation: string;
}

export const ATTRIBUTION_EXPLANATION =
  'The estimate counts influencers who clicked their purchase link, including people who did not buy; Amazon ' +
  'Attribution counts actual orders, reports them up to ~48 h late and keeps revising them for 14 days.';

export function compareAttribution(rows: AttributionRow[], estimatedPurchases: number): AttributionSummary | null {
  if (rows.length === 0) return null;
  let purchases = 0;
  let unitsSold = 0;
  let sales = 0;
  let reportedThrough = '';
  for (const row of rows) {
    purchases += row.purchases;
    unitsSold += row.unitsSold;
    sales += row.sales;
    if (row.date > reportedThrough) reportedThrough = row.date;
  }
  return {
    purchases,
    unitsSold,
    sales: Math.round(sales * 100) / 100,
    reportedThrough,
    estimatedPurchases,
    difference: purchases - estimatedPurchases,
    explanation: ATTRIBUTION_EXPLANATION,
  };
}
