import { Api, query } from './api.js';
import { downloadResponse } from './download.js';
import type { ListFilter } from './influencers.view.js';

/** Downloads the influencers CSV of the list's status and search, every page. */
export async function exportCsv(
  api: Api,
  campaignId: string,
  filter: Pick<ListFilter, 'status' | 'q'>,
): Promise<string> {
  const res = await api.fetch(
    `/v1/campaigns/${encodeURIComponent(campaignId)}/influencers.csv${query({ status: filter.status, q: filter.q })}`,
    {
      headers: { Accept: 'text/csv' },
    },
  );
  return downloadResponse(res, `campaign-${campaignId}-influencers.csv`);
}
