/**
 * Amazon Attribution reports as Amazon hands them out, for tests, the screenshot seed and the Ads API stand-in:
 * the Ads API answer (every value a string, `date` as YYYYMMDD, unrounded sales), the same fields as CSV, and
 * the console's CSV export (BOM, title and date-range lines, `"$1,179.94"` / `"1,057"` values, a Total row).
 */
export interface AmazonFigures {
  clicks: number;
  dpv: number;
  atc: number;
  purchases: number;
  units: number;
  sales: number;
  /** brand-halo totals (promoted plus other products of the brand); default: the promoted figures */
  totalPurchases?: number;
  totalUnits?: number;
  totalSales?: number;
}

export interface AmazonApiRow extends AmazonFigures {
  /** YYYY-MM-DD; written as YYYYMMDD */
  date: string;
  campaignId?: string;
  adGroupId?: string;
  creativeId?: string;
  publisher?: string;
  brb?: number;
}

/** Sales the way Amazon's API spells them: the float's full expansion (`191.95999999999998`). */
const floatText = (n: number) => String(n * 1);

export function amazonApiReportRow(r: AmazonApiRow): Record<string, string> {
  const row: Record<string, string> = { date: r.date.replace(/-/g, '') };
  if (r.campaignId) row.campaignId = r.campaignId;
  if (r.adGroupId) row.adGroupId = r.adGroupId;
  if (r.creativeId) row.creativeId = r.creativeId;
  row.advertiserName = 'Glow Co';
  if (r.publisher) row.publisher = r.publisher;
  Object.assign(row, {
    'Click-throughs': String(r.clicks),
    attributedDetailPageViewsClicks14d: String(r.dpv),
    attributedAddToCartClicks14d: String(r.atc),
    attributedPurchases14d: String(r.purchases),
    unitsSold14d: String(r.units),
    attributedSales14d: floatText(r.sales),
    attributedTotalDetailPageViewsClicks14d: String(r.dpv),
    attributedTotalAddToCartClicks14d: String(r.atc),
    attributedTotalPurchases14d: String(r.totalPurchases ?? r.purchases),
    totalUnitsSold14d: String(r.totalUnits ?? r.units),
    totalAttributedSales14d: floatText(r.totalSales ?? r.sales),
  });
  if (r.brb !== undefined) row.brb_bonus_amount = floatText(r.brb);
  return row;
}

/** The body of `POST /attribution/report` as Amazon answers it. */
export function amazonApiReport(
  rows: AmazonApiRow[],
  cursorId: string | null = null,
): { reports: Record<string, string>[]; size: number; cursorId: string | null } {
  return { reports: rows.map(amazonApiReportRow), size: rows.length, cursorId };
}

const csvQuote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The API report's fields as CSV (what a connector or a script that flattens the JSON writes). */
export function amazonApiReportCsv(rows: AmazonApiRow[]): string {
  const objects = rows.map(amazonApiReportRow);
  const header = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return [header.join(','), ...objects.map((o) => header.map((h) => csvQuote(o[h] ?? '')).join(','))].join('\n') + '\n';
}

export interface ConsoleRow extends AmazonFigures {
  campaign: string;
  adGroup: string;
  publisher: string;
}

const thousands = new Intl.NumberFormat('en-US');
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usDay = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

/** The Amazon Attribution console's CSV export of one date range, every value quoted as the console writes it. */
export function consoleExportCsv(from: string, to: string, rows: ConsoleRow[]): string {
  const header = [
    'Campaign',
    'Ad group',
    'Publisher',
    'Click-throughs',
    'DPV',
    'ATC',
    'Purchases',
    'Total purchases',
    'Units sold',
    'Product sales',
  ];
  const cells = (name: [string, string, string], f: AmazonFigures) => [
    ...name,
    thousands.format(f.clicks),
    thousands.format(f.dpv),
    thousands.format(f.atc),
    thousands.format(f.purchases),
    thousands.format(f.totalPurchases ?? f.purchases),
    thousands.format(f.units),
    dollars.format(f.sales),
  ];
  const sum = (k: keyof AmazonFigures) =>
    rows.reduce((s, r) => s + (r[k] ?? (k === 'totalPurchases' ? r.purchases : 0)), 0);
  const total: AmazonFigures = {
    clicks: sum('clicks'),
    dpv: sum('dpv'),
    atc: sum('atc'),
    purchases: sum('purchases'),
    totalPurchases: sum('totalPurchases'),
    units: sum('units'),
    sales: sum('sales'),
  };
  const line = (values: string[]) => values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
  return [
    '\ufeff"Amazon Attribution - Campaign performance"',
    `"Date range: ${usDay(from)} - ${usDay(to)}"`,
    '',
    line(header),
    ...rows.map((r) => line(cells([r.campaign, r.adGroup, r.publisher], r))),
    line(cells(['Total', '', ''], total)),
  ].join('\r\n');
}
