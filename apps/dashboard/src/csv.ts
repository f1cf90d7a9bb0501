import { Api, query } from './api.js';
import type { ListFilter } from './influencers.view.js';

/**
 * Downloads the influencers CSV. A plain link cannot carry the Authorization header, so the file is fetched
 * and handed to the browser as a Blob; the name comes from the API's Content-Disposition.
 */
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
  const blob = await res.blob();
  const named = /filename="?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') ?? '');
  const filename = named?.[1] ?? `campaign-${campaignId}-influencers.csv`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the download a moment to start before the Blob is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
