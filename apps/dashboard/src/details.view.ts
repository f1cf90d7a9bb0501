import type { Api, ApiError } from './api.js';
import { byId, clear, h } from './dom.js';
import { formatDateTime } from './format.js';
import { ReminderPreviewPanel } from './reminder-preview.view.js';
import type { Campaign } from './types.js';

const link = (url: string | null | undefined) =>
  url && /^https?:\/\//.test(url)
    ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url)
    : h('span', { class: 'muted' }, url || 'not set');

const preview = new ReminderPreviewPanel();
const duration = (seconds: number) =>
  seconds % 86_400 === 0
    ? `${seconds / 86_400} d`
    : seconds % 3600 === 0
      ? `${seconds / 3600} h`
      : seconds % 60 === 0
        ? `${seconds / 60} min`
        : `${seconds} s`;
const schedule = (p: Campaign['reminders']['purchase']) =>
  p.max === 0
    ? 'none'
    : `${p.max} at most: the first ${duration(p.firstAfterSeconds)} after entering the stage, then every ${duration(p.everySeconds)}`;

/** The "Campaign details" tab: what influencers are asked to do, where their links lead, and the reminders they get. */
export function renderCampaignDetails(c: Campaign, reminders?: { api: Api; onError: (err: ApiError) => void }): void {
  const box = byId('campaign-details');
  clear(box);
  const tags = [
    ...(c.requirements?.hashtags ?? []).map((t) => `#${t}`),
    ...(c.requirements?.mentions ?? []).map((m) => `@${m}`),
  ];
  box.append(
    h(
      'dl',
      { class: 'details' },
      h('dt', null, 'Caption must include'),
      h(
        'dd',
        null,
        tags.length
          ? h('span', { class: 'tags' }, ...tags.map((t) => h('span', { class: 'tag' }, t)))
          : h('span', { class: 'muted' }, 'nothing required'),
      ),
      h('dt', null, 'Purchase link leads to'),
      h('dd', null, link(c.productUrl)),
      h('dt', null, 'Review link leads to'),
      h('dd', null, link(c.reviewUrl)),
      h('dt', null, 'Amazon Attribution'),
      h('dd', null, link(c.amazonAttributionUrl)),
      h('dt', null, 'Purchase reminders'),
      h('dd', null, schedule(c.reminders.purchase)),
      h('dt', null, 'Review reminders'),
      h('dd', null, schedule(c.reminders.review)),
      h('dt', null, 'State'),
      h('dd', null, c.state ?? 'active'),
      h('dt', null, 'Created'),
      h('dd', null, formatDateTime(c.createdAt)),
      h('dt', null, 'Campaign id'),
      h('dd', null, h('code', null, c.id)),
    ),
  );
  const section = h('section', { class: 'reminder-preview', 'aria-labelledby': 'reminder-preview-title' });
  box.append(section);
  if (reminders) preview.open(reminders.api, c.id, section, reminders.onError);
}
