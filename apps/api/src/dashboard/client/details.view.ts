import { byId, clear, h } from './dom.js';
import { formatDateTime } from './format.js';
import type { Campaign } from './types.js';

const link = (url: string | null | undefined) =>
  url && /^https?:\/\//.test(url) ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url) : h('span', { class: 'muted' }, url || 'not set');

/** The "Campaign details" tab: what influencers are asked to do and where their links lead. */
export function renderCampaignDetails(c: Campaign): void {
  const box = byId('campaign-details');
  clear(box);
  const tags = [...(c.requirements?.hashtags ?? []).map((t) => `#${t}`), ...(c.requirements?.mentions ?? []).map((m) => `@${m}`)];
  box.append(
    h(
      'dl',
      { class: 'details' },
      h('dt', null, 'Caption must include'),
      h('dd', null, tags.length ? h('span', { class: 'tags' }, ...tags.map((t) => h('span', { class: 'tag' }, t))) : h('span', { class: 'muted' }, 'nothing required')),
      h('dt', null, 'Purchase link leads to'),
      h('dd', null, link(c.productUrl)),
      h('dt', null, 'Review link leads to'),
      h('dd', null, link(c.reviewUrl)),
      h('dt', null, 'Amazon Attribution'),
      h('dd', null, link(c.amazonAttributionUrl)),
      h('dt', null, 'State'),
      h('dd', null, c.state ?? 'active'),
      h('dt', null, 'Created'),
      h('dd', null, formatDateTime(c.createdAt)),
      h('dt', null, 'Campaign id'),
      h('dd', null, h('code', null, c.id)),
    ),
  );
}
