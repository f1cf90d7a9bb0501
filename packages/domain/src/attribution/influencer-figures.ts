import { currentRows, type StoredReportRow } from './periods.js';

/** Amazon shows zeros instead of figures for a tag with fewer lifetime click-throughs than this. */
export const AMAZON_MASKING_CLICKS = 10;

/** What Amazon attributes to one influencer's own tag (its creative), summed over the rows in force. */
export interface InfluencerAttribution {
  clickThroughs: number;
  purchases: number;
  unitsSold: number;
  sales: number;
  /**
   * True when Amazon hides the figures: fewer than 10 click-throughs and nothing but zeros. The zeros then
   * mean "not shown", not "no purchases".
   */
  masked: boolean;
}

/** Figures per Amazon creative id, from creative-level rows only. */
export function creativeFigures(stored: readonly StoredReportRow[]): Map<string, InfluencerAttribution> {
  const sums = new Map<string, InfluencerAttribution & { clicksKnown: boolean }>();
  for (const row of currentRows(stored.filter((r) => r.level === 'creative' && r.creativeId))) {
    const id = row.creativeId as string;
    const sum = sums.get(id) ?? {
      clickThroughs: 0,
      purchases: 0,
      unitsSold: 0,
      sales: 0,
      masked: false,
      clicksKnown: true,
    };
    sum.clickThroughs += row.clicks ?? 0;
    sum.clicksKnown &&= row.clicks !== null;
    sum.purchases += row.purchases;
    sum.unitsSold += row.unitsSold;
    sum.sales += row.sales;
    sums.set(id, sum);
  }
  const figures = new Map<string, InfluencerAttribution>();
  for (const [id, { clicksKnown, ...f }] of sums) {
    const nothing = f.purchases === 0 && f.unitsSold === 0 && f.sales === 0;
    figures.set(id, {
      ...f,
      sales: Math.round(f.sales * 100) / 100,
      masked: clicksKnown && f.clickThroughs < AMAZON_MASKING_CLICKS && nothing,
    });
  }
  return figures;
}
