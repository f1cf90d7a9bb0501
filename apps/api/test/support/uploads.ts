import { request, type seedCampaign } from '@seedline/testkit';

export type SeededCampaign = Awaited<ReturnType<typeof seedCampaign>>;
export interface Upload {
  json?: unknown;
  csv?: string;
}

/** A brand's upload to one of its campaign's upload routes (`attribution`, `attribution-tags`): JSON or CSV. */
export const postUpload = (apiUrl: string, campaign: SeededCampaign, path: string, body: Upload) =>
  request(`${apiUrl}/v1/campaigns/${campaign.campaignId}/${path}`, {
    method: 'POST',
    token: campaign.apiKey,
    ...(body.csv !== undefined ? { headers: { 'Content-Type': 'text/csv' }, body: body.csv } : { json: body.json }),
  });

/** A day of our own attribution format, with fixed click-through figures. */
export const row = (date: string, purchases: number, unitsSold: number, sales: number) => ({
  date,
  clicks: 100,
  detailPageViews: 60,
  addToCarts: 10,
  purchases,
  unitsSold,
  sales,
});
/** The header line of our own format as CSV. */
export const HEADER = 'date,clicks,detailPageViews,addToCarts,purchases,unitsSold,sales';

/** The funnel figures of an Amazon report row (testkit's report builders), from clicks to sales. */
export const figures = (clicks: number, purchases: number, units: number, sales: number) => ({
  clicks,
  dpv: clicks,
  atc: Math.ceil(clicks / 5),
  purchases,
  units,
  sales,
});
