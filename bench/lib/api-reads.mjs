// Timed reads against a real api process: the summary, list pages reached by following nextCursor, and the
// plain countDocuments baseline on the same database.
import { send } from '../faults/lib/http.mjs';
import { percentile } from '../faults/lib/load.mjs';

export async function getJson(url, apiKey) {
  const res = await send(url, { headers: { authorization: `Bearer ${apiKey}` } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.text?.slice(0, 200) ?? res.error}`);
  return res.body;
}

/** Runs `fn` `warmup` times untimed, then `n` times one after another; p50/p95/p99 in ms. */
export async function timed(fn, n, warmup = Math.min(10, n)) {
  for (let i = 0; i < warmup; i++) await fn();
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), n };
}

/** The cursor of page `page` (1-based) of a campaign's list, following nextCursor from page 1. */
export async function cursorOfPage(base, apiKey, campaignId, page, limit = 50) {
  let cursor = null;
  for (let p = 1; p < page; p++) {
    const body = await getJson(
      `${base}/v1/campaigns/${campaignId}/influencers?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      apiKey,
    );
    if (!body.nextCursor) throw new Error(`campaign ${campaignId} has only ${p} pages of ${limit}`);
    cursor = body.nextCursor;
  }
  return cursor;
}

/**
 * Summary and list timings for one campaign of `n` influencers: summary p50/p99, page 1 and page `deep`
 * (50 items each) p50/p99. Checks that the summary counts every influencer and that the pages are full.
 */
export async function campaignReads({ base, apiKey, campaignId, n, iterations, deep = 20 }) {
  const summaryUrl = `${base}/v1/campaigns/${campaignId}/summary`;
  const check = await getJson(summaryUrl, apiKey);
  if (check.total !== n) throw new Error(`summary of the ${n}-influencer campaign says total ${check.total}`);
  const listUrl = (cursor) =>
    `${base}/v1/campaigns/${campaignId}/influencers?limit=50${cursor ? `&cursor=${cursor}` : ''}`;
  const full = async (cursor) => {
    const body = await getJson(listUrl(cursor), apiKey);
    if (body.items.length !== 50) throw new Error(`a list page held ${body.items.length} items`);
  };
  // The api's first read of a page has no remembered bound (influencerQueries.page): timed apart, once.
  const t0 = performance.now();
  await full(null);
  const page1First = performance.now() - t0;
  const deepCursor = await cursorOfPage(base, apiKey, campaignId, deep);
  return {
    page1First,
    summary: await timed(() => getJson(summaryUrl, apiKey), iterations.summary),
    page1: await timed(() => full(null), iterations.list),
    deep: await timed(() => full(deepCursor), iterations.list),
  };
}

/** countDocuments of a campaign's listed influencers, straight on the database (the old summary's cost). */
export function countBaseline(conn, campaignId, n) {
  return timed(() => conn.collection('influencers').countDocuments({ campaignId, listed: true }), n, 1);
}
