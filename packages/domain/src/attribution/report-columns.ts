/**
 * The columns of an Amazon Attribution report, whichever way it was exported, and the header names each goes
 * by. Names are compared without case, spaces or punctuation (`Click-throughs`, `click_throughs` and
 * `ClickThroughs` are one name), which also covers snake_case exports (`attributed_purchases_14_d`).
 */
export const REPORT_FIELDS = {
  date: ['date', 'day', 'reportdate'],
  from: ['startdate', 'from', 'datefrom', 'periodstart'],
  to: ['enddate', 'to', 'dateto', 'periodend'],
  amazonCampaignId: ['campaignid'],
  campaignName: ['campaign', 'campaignname'],
  adGroupId: ['adgroupid'],
  adGroupName: ['adgroup', 'adgroupname'],
  creativeId: ['creativeid'],
  creativeName: ['creative', 'creativename'],
  publisher: ['publisher', 'publishername'],
  clicks: ['clickthroughs', 'clicks'],
  detailPageViews: ['attributeddetailpageviewsclicks', 'dpv', 'dpvs', 'detailpageviews'],
  addToCarts: ['attributedaddtocartclicks', 'atc', 'atcs', 'addtocarts', 'addtocart'],
  purchases: ['attributedpurchases', 'purchases'],
  unitsSold: ['unitssold', 'units'],
  sales: ['attributedsales', 'productsales', 'sales'],
  totalDetailPageViews: ['attributedtotaldetailpageviewsclicks', 'totaldpv', 'totaldpvs', 'totaldetailpageviews'],
  totalAddToCarts: ['attributedtotaladdtocartclicks', 'totalatc', 'totalatcs', 'totaladdtocarts'],
  totalPurchases: ['attributedtotalpurchases', 'totalpurchases'],
  totalUnitsSold: ['totalunitssold', 'totalunits'],
  totalSales: ['totalattributedsales', 'totalproductsales', 'totalsales'],
  brbBonus: ['brbbonusamount', 'brbbonus', 'brandreferralbonus'],
} as const;
export type ReportField = keyof typeof REPORT_FIELDS;

/** What a header must name to be read as a report: the figures every summary shows. */
export const REQUIRED_FIELDS = ['purchases', 'unitsSold', 'sales'] as const satisfies readonly ReportField[];

/** How a missing required column is named back: ours, then Amazon's API and console spellings. */
export const REQUIRED_LABELS: Record<(typeof REQUIRED_FIELDS)[number], string> = {
  purchases: 'purchases (attributedPurchases14d, Purchases)',
  unitsSold: 'unitsSold (unitsSold14d, Units sold)',
  sales: 'sales (attributedSales14d, Product sales)',
};

export const COUNT_FIELDS = [
  'clicks',
  'detailPageViews',
  'addToCarts',
  'purchases',
  'unitsSold',
  'totalDetailPageViews',
  'totalAddToCarts',
  'totalPurchases',
  'totalUnitsSold',
] as const satisfies readonly ReportField[];
export const AMOUNT_FIELDS = ['sales', 'totalSales', 'brbBonus'] as const satisfies readonly ReportField[];
export const TEXT_FIELDS = [
  'amazonCampaignId',
  'campaignName',
  'adGroupId',
  'adGroupName',
  'creativeId',
  'creativeName',
  'publisher',
] as const satisfies readonly ReportField[];

/** The three shapes a brand is likely to hold, named in the answer to a file we cannot read. */
export const EXPECTED_HEADERS = {
  seedline: ['date', 'clicks', 'detailPageViews', 'addToCarts', 'purchases', 'unitsSold', 'sales'],
  amazonAdsApi: [
    'date',
    'campaignId',
    'adGroupId',
    'creativeId',
    'publisher',
    'Click-throughs',
    'attributedDetailPageViewsClicks14d',
    'attributedAddToCartClicks14d',
    'attributedPurchases14d',
    'unitsSold14d',
    'attributedSales14d',
    'attributedTotalPurchases14d',
    'totalUnitsSold14d',
    'totalAttributedSales14d',
  ],
  amazonConsole: [
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
  ],
};

export function describeExpectedHeaders(): string {
  return (
    `expected a header row naming the columns: ours (${EXPECTED_HEADERS.seedline.join(', ')}), ` +
    `the Amazon Ads API report's (${EXPECTED_HEADERS.amazonAdsApi.join(', ')}) ` +
    `or the Amazon Attribution console export's (${EXPECTED_HEADERS.amazonConsole.join(', ')}, with a date column or a date range above the header)`
  );
}

const ALIASES = new Map<string, ReportField>(
  (Object.entries(REPORT_FIELDS) as [ReportField, readonly string[]][]).flatMap(([field, names]) =>
    names.map((n) => [n, field] as const),
  ),
);

/** `Click-throughs` → `clickthroughs`; the attribution window (`14d`, `(14 days)`) is dropped. */
export function normalizeColumnName(name: string): string {
  const plain = name
    .replace(/^\ufeff/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return plain.replace(/(?:14d|14days?)$/, '') || plain;
}

export const fieldOfColumn = (name: string): ReportField | undefined => ALIASES.get(normalizeColumnName(name));

/** Which column holds which field (the first of two columns naming the same field wins). */
export function matchColumns(names: readonly string[]): Map<ReportField, number> {
  const columns = new Map<ReportField, number>();
  names.forEach((name, i) => {
    const field = fieldOfColumn(name);
    if (field && !columns.has(field)) columns.set(field, i);
  });
  return columns;
}

export const missingRequired = (columns: ReadonlyMap<ReportField, unknown>): (typeof REQUIRED_FIELDS)[number][] =>
  REQUIRED_FIELDS.filter((f) => !columns.has(f));
