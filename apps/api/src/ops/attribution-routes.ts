import {
  attributionReportUpload,
  attributionTagsResponse,
  attributionTagsUpload,
  attributionUploadedResponse,
} from '@seedline/domain';

const CONSOLE_EXAMPLE = [
  '\ufeff"Amazon Attribution - Campaign performance"',
  '"Date range: 03/01/2025 - 03/31/2025"',
  '',
  '"Campaign","Ad group","Publisher","Click-throughs","DPV","ATC","Purchases","Total purchases","Units sold","Product sales"',
  '"Spring Glow","Creators","Instagram","1,057","612","98","41","47","52","$1,179.94"',
  '"Total","","","1,057","612","98","41","47","52","$1,179.94"',
].join('\n');

/**
 * The Amazon Attribution routes of the catalogue (typed where `ROUTES` spreads them). Kept apart so the
 * description of the report shapes does not crowd the rest of the catalogue.
 */
export const ATTRIBUTION_ROUTES = [
  {
    method: 'post',
    path: '/v1/campaigns/:id/attribution',
    takesTurns: true,
    server: 'api',
    tag: 'Attribution',
    summary: 'Upload an Amazon Attribution report, as Amazon exports it',
    description:
      'JSON or `text/csv`, recognised by the header (case, spaces and punctuation ignored; known aliases): our own ' +
      '`{rows: [{date, clicks, detailPageViews, addToCarts, purchases, unitsSold, sales}]}`; the Amazon Ads API ' +
      '`POST /attribution/report` answer (`{reports: [...], cursorId}` or a bare array; string values, `date` as ' +
      'YYYYMMDD, `Click-throughs`, `attributed…14d`, the brand-halo `attributedTotal…14d` / `totalUnitsSold14d` / ' +
      '`totalAttributedSales14d`, `brb_bonus_amount`, `campaignId`, `adGroupId`, `creativeId`, `publisher`) or those ' +
      'fields as CSV; and the Amazon Attribution console export (BOM, title and date-range lines above the header, ' +
      '`Click-throughs`, `DPV`, `ATC`, `Purchases`, `Total purchases`, `Units sold`, `Product sales`, `"$1,179.94"` and ' +
      '`"1,057"` values; the `Total` row is skipped; rows without a date column cover the date range above the ' +
      'header). Promoted-product and brand-halo (`Total …`) figures are kept apart. Rows with a `creativeId` are ' +
      "creative rows (an influencer's tag), with an `adGroupId`/`Ad group` ad-group rows, else campaign rows. A row " +
      'replaces earlier rows of the same entity whose period it overlaps (re-uploading a day, or a day and creative, ' +
      'replaces it). Nothing is stored unless every row is valid: errors name the row and the column as the input ' +
      'spells it (`body.reports.3.attributedSales14d`, `line 7.Units sold`). A file with no recognisable header ' +
      'answers `unrecognised_report` listing the columns expected.',
    security: 'brand',
    body: { schema: attributionReportUpload, csv: CONSOLE_EXAMPLE, limit: '8mb, at most 10,000 rows' },
    responses: { 200: { description: 'rows stored', schema: attributionUploadedResponse } },
  },
  {
    method: 'post',
    path: '/v1/campaigns/:id/attribution-tags',
    takesTurns: true,
    server: 'api',
    tag: 'Attribution',
    summary: "Store influencers' own Amazon Attribution tags",
    description:
      'JSON `{tags: [{instagramHandle, url}]}` or `text/csv` with the columns `instagramHandle,url`. Each URL must be ' +
      'an https Amazon URL carrying `aa_campaignid`, `aa_adgroupid` and `aa_creativeid` (the tag as Amazon generates ' +
      'it). The influencer must have signed up (`unknown_influencer` names any that did not); one tag per influencer ' +
      'and one influencer per creative. Uploading a handle again replaces its tag. Its tracked purchase link then ' +
      'redirects to the tag (the ingest app re-reads tags with its campaign cache, within 30 s), and report rows ' +
      'whose `creativeId` is the tag’s `aa_creativeid` become its `attribution` in the list, the detail and the CSV.',
    security: 'brand',
    body: {
      schema: attributionTagsUpload,
      csv: 'instagramHandle,url\nava.styles,https://www.amazon.com/dp/B0DEMO0001?maas=maas_adg_api_1_static_9_129&ref_=aa_maas&aa_campaignid=16719043411&aa_adgroupid=135021988277&aa_creativeid=9001',
      limit: '8mb, at most 5,000 tags',
    },
    responses: { 200: { description: 'tags stored', schema: attributionTagsResponse } },
  },
] as const;
