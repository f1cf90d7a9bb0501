import { z } from 'zod';

/**
 * Wire shapes of Amazon Attribution uploads and of the figures the API answers with. The upload itself is
 * read by `parseReportJson` / `parseReportCsv` (header-driven, so any of these shapes and their aliases);
 * these schemas describe the shapes for /openapi.json and type the answers.
 */
const count = z.coerce.number().int().min(0);
export const attributionRow = z.strictObject({
  date: z.iso.date(),
  clicks: count,
  detailPageViews: count,
  addToCarts: count,
  purchases: count,
  unitsSold: count,
  sales: z.coerce.number().min(0),
});
export type AttributionRow = z.infer<typeof attributionRow>;
export const attributionUpload = z.strictObject({ rows: z.array(attributionRow).min(1).max(10_000) });

const amazonValue = z.union([z.string(), z.number()]);
const optional = (description: string) => amazonValue.optional().describe(description);
/** A row of the Amazon Ads API's `POST /attribution/report` answer, every value a string as Amazon sends it. */
export const amazonReportRow = z
  .object({
    date: z.string().describe('YYYYMMDD'),
    campaignId: z.string().optional(),
    adGroupId: z.string().optional(),
    creativeId: z
      .string()
      .optional()
      .describe("a creative-level row; equals the `aa_creativeid` of an influencer's tag"),
    publisher: z.string().optional(),
    advertiserName: z.string().optional(),
    'Click-throughs': optional('clicks on the tag'),
    attributedDetailPageViewsClicks14d: optional('promoted-product detail page views'),
    attributedAddToCartClicks14d: optional('promoted-product add-to-carts'),
    attributedPurchases14d: amazonValue.describe('promoted-product purchases'),
    unitsSold14d: amazonValue.describe('promoted-product units'),
    attributedSales14d: amazonValue.describe('promoted-product sales, unrounded'),
    attributedTotalDetailPageViewsClicks14d: optional('with brand halo'),
    attributedTotalAddToCartClicks14d: optional('with brand halo'),
    attributedTotalPurchases14d: optional('with brand halo'),
    totalUnitsSold14d: optional('with brand halo'),
    totalAttributedSales14d: optional('with brand halo'),
    brb_bonus_amount: optional('estimated Brand Referral Bonus'),
  })
  .catchall(z.unknown());
export const amazonReportPage = z.object({
  reports: z.array(amazonReportRow),
  cursorId: z.string().nullable().optional(),
  size: z.number().optional(),
});
export const attributionReportUpload = z.union([attributionUpload, amazonReportPage, z.array(amazonReportRow)]);

export const attributionUploadedResponse = z.object({
  campaignId: z.string(),
  rows: z.number().int().describe('rows stored (a period listed twice counts once)'),
  levels: z
    .object({ campaign: z.number().int(), adGroup: z.number().int(), creative: z.number().int() })
    .describe('rows stored per level'),
  replaced: z.number().int().describe('earlier rows replaced because this upload covers their period again'),
  reportedFrom: z.string(),
  reportedThrough: z.string(),
});

export const attributionSummaryResponse = z.object({
  purchases: z.number().describe('promoted-product purchases (Amazon: attributedPurchases14d / Purchases)'),
  unitsSold: z.number(),
  sales: z.number(),
  clickThroughs: z.number().nullable(),
  withBrandHalo: z
    .object({ purchases: z.number().nullable(), unitsSold: z.number().nullable(), sales: z.number().nullable() })
    .nullable()
    .describe(
      "Amazon's Total columns: promoted products plus the brand's other products; a figure is null unless every row carries it",
    ),
  brandReferralBonus: z.number().nullable(),
  level: z
    .enum(['campaign', 'adGroup', 'creative'])
    .describe('campaign rows when uploaded, else ad groups, else creatives; never a mix'),
  reportedFrom: z.string().describe('earliest report day in force (YYYY-MM-DD)'),
  reportedThrough: z.string().describe('latest report day in force (YYYY-MM-DD)'),
  estimatedPurchases: z.number().int(),
  difference: z.number().describe('attributed purchases minus the click estimate'),
  explanation: z.string(),
});

export const influencerAttributionResponse = z
  .object({
    clickThroughs: z.number().int(),
    purchases: z.number().int(),
    unitsSold: z.number().int(),
    sales: z.number(),
    masked: z.boolean().describe('Amazon hides figures of a tag under 10 clicks: the zeros mean "not shown"'),
  })
  .describe(
    "figures of report rows whose creativeId is this influencer's tag aa_creativeid; null without a tag or rows",
  );
