import { isAmazonRetailHost } from '../links/redirect-allow-list.js';

/**
 * An Amazon Attribution tag: the Amazon product (or store) URL Amazon generates per publisher and creative,
 * carrying the ids its reports use (`aa_campaignid`, `aa_adgroupid`, `aa_creativeid`). A purchase link that
 * redirects there lets Amazon count that influencer's clicks and orders under its own creative.
 */
export interface AttributionTagIds {
  amazonCampaignId: string;
  adGroupId: string;
  creativeId: string;
}

// An id Amazon assigned, not a template macro such as `{{creativeId}}` left unexpanded.
const AMAZON_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PARAMS = { amazonCampaignId: 'aa_campaignid', adGroupId: 'aa_adgroupid', creativeId: 'aa_creativeid' } as const;

export type TagUrlParse = { ok: true; url: string; ids: AttributionTagIds } | { ok: false; message: string };

export function parseAttributionTagUrl(raw: string): TagUrlParse {
  const text = raw.trim();
  if (text.length > 2048) return { ok: false, message: 'longer than 2048 characters' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: 'is not a URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, message: 'must be an https:// Amazon URL' };
  // Amazon only (the retail hosts every redirect target may use), whatever the operator allows besides.
  if (!isAmazonRetailHost(url.hostname) || url.username || url.password || url.port) {
    return { ok: false, message: `must be an Amazon URL (amazon.com, amazon.co.uk, …), not ${url.hostname}` };
  }
  const ids: Partial<AttributionTagIds> = {};
  for (const [field, param] of Object.entries(PARAMS) as [keyof AttributionTagIds, string][]) {
    const value = url.searchParams.get(param);
    if (!value) return { ok: false, message: `must carry ${param} (copy the whole tag from Amazon Attribution)` };
    if (!AMAZON_ID.test(value))
      return { ok: false, message: `${param} "${value.slice(0, 40)}" is not an Amazon id (an unexpanded macro?)` };
    ids[field] = value;
  }
  return { ok: true, url: url.href, ids: ids as AttributionTagIds };
}
