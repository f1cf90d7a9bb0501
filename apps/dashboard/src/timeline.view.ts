import { Api, ApiError } from './api.js';
import { attributionFigures } from './attribution.view.js';
import { byId, clear, h, timeEl } from './dom.js';
import { formatCount, instagramProfileUrl, labelStatuses, STAGES, withoutTrailingParenthesis } from './format.js';
import type { InfluencerDetail, TimelineEntry } from './types.js';

const EVENT_NAMES: Record<string, string> = {
  signup: 'Signed up',
  purchase_click: 'Purchase link clicked',
  review_click: 'Review link clicked',
  bot_click: 'Link fetched by a bot',
  submission_accepted: 'Post accepted',
  submission_rejected: 'Post rejected',
  status_change: 'Status changed',
  reminder_sent: 'Reminder sent',
  reminder_failed: 'Reminder failed',
  reminder_skipped: 'Reminder skipped',
};

/** One influencer's story in a modal dialog: stages reached, the submitted post, and every event. */
export class TimelineDialog {
  private readonly dialog = byId<HTMLDialogElement>('timeline');
  private readonly content = byId('timeline-content');
  private opener: HTMLElement | null = null;
  private current: { api: Api; campaignId: string; influencerId: string } | null = null;

  constructor() {
    byId('timeline-close').addEventListener('click', () => this.dialog.close());
    // A click on the backdrop (outside the dialog box) closes it, as people expect of a modal.
    this.dialog.addEventListener('click', (e) => {
      if (e.target === this.dialog) this.dialog.close();
    });
    this.dialog.addEventListener('close', () => {
      const id = this.current?.influencerId;
      this.current = null;
      // Live updates may have re-rendered the row meanwhile: fall back to the same row's new button.
      const opener = this.opener?.isConnected
        ? this.opener
        : id
          ? document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"] [data-role="timeline"]`)
          : null;
      opener?.focus();
      this.opener = null;
    });
  }

  get openInfluencerId(): string | null {
    return this.current?.influencerId ?? null;
  }

  async open(api: Api, campaignId: string, influencerId: string, opener: HTMLElement): Promise<void> {
    this.opener = opener;
    this.current = { api, campaignId, influencerId };
    byId('timeline-title').textContent = 'Influencer timeline';
    clear(this.content);
    this.content.append(h('p', { class: 'muted' }, 'Loading…'));
    if (!this.dialog.open) this.dialog.showModal();
    await this.refresh();
  }

  /** Re-reads the open influencer (a live status change for them arrived). */
  async refresh(): Promise<void> {
    const current = this.current;
    if (!current) return;
    try {
      const detail = await current.api.json<InfluencerDetail>(
        `/v1/campaigns/${encodeURIComponent(current.campaignId)}/influencers/${encodeURIComponent(current.influencerId)}`,
      );
      if (this.current !== current) return;
      this.render(detail);
    } catch (err) {
      if (this.current !== current) return;
      clear(this.content);
      this.content.append(
        h(
          'p',
          { class: 'error', role: 'alert' },
          err instanceof ApiError ? err.message : 'The timeline could not be loaded.',
        ),
      );
    }
  }

  private render(d: InfluencerDetail): void {
    const handle = d.instagramHandle ?? '';
    const title = byId('timeline-title');
    clear(title);
    title.append(
      handle
        ? h('a', { href: instagramProfileUrl(handle), target: '_blank', rel: 'noopener noreferrer' }, `@${handle}`)
        : '(no handle)',
      ' ',
      h('span', { class: `badge badge--${d.status}`, id: 'timeline-status' }, d.statusLabel),
    );
    clear(this.content);
    this.content.append(
      h(
        'dl',
        { class: 'stages-reached' },
        ...STAGES.flatMap((s) => [h('dt', null, s.label), h('dd', null, timeEl(d[s.at]))]),
        h('dt', null, 'Clicks'),
        h('dd', null, `${formatCount(d.purchaseClicks)} purchase, ${formatCount(d.reviewClicks)} review`),
        h('dt', null, 'Amazon Attribution'),
        h('dd', null, attributionFigures(d.attribution)),
        h('dt', null, 'Reminders sent'),
        h('dd', null, formatCount(d.remindersSent)),
      ),
      this.submission(d),
      h('h3', { class: 'section-title' }, 'Events'),
      d.timeline.length
        ? h('ol', { class: 'events', id: 'timeline-events' }, ...[...d.timeline].reverse().map((e) => this.event(e)))
        : h('p', { class: 'muted' }, 'No events yet.'),
      // The api keeps every event but the oldest clicks past the latest 500: say they exist.
      ...(d.timelineClicksOmitted > 0
        ? [
            h(
              'p',
              { class: 'muted', id: 'timeline-omitted' },
              `${formatCount(d.timelineClicksOmitted)} older ${d.timelineClicksOmitted === 1 ? 'click is' : 'clicks are'} ` +
                'not listed (the counts above include them).',
            ),
          ]
        : []),
    );
  }

  private submission(d: InfluencerDetail): HTMLElement {
    const s = d.submission;
    if (!s) return h('p', { class: 'muted', id: 'timeline-submission' }, 'No post submitted yet.');
    return h(
      'div',
      { class: `submission ${s.accepted ? 'submission--ok' : 'submission--rejected'}`, id: 'timeline-submission' },
      h('p', null, h('strong', null, s.accepted ? 'Post accepted' : 'Post rejected'), ' · ', timeEl(s.at)),
      h(
        'p',
        null,
        /^https:\/\//.test(s.postUrl)
          ? h('a', { href: s.postUrl, target: '_blank', rel: 'noopener noreferrer' }, s.postUrl)
          : s.postUrl,
      ),
      s.reasons.length ? h('ul', null, ...s.reasons.map((r) => h('li', null, r))) : null,
    );
  }

  private event(e: TimelineEntry): HTMLElement {
    const title = EVENT_NAMES[e.type] ?? e.type;
    let detail = e.type === 'status_change' ? labelStatuses(e.detail) : e.detail;
    // "post accepted: <url>" under the title "Post accepted" only needs the URL.
    if (detail.toLowerCase().startsWith(title.toLowerCase()))
      detail = detail.slice(title.length).replace(/^[\s:—-]+/, '');
    const showDetail = detail !== '' && e.type !== 'signup';
    // Sources carry internal event ids in parentheses: useful when debugging, noise when reading.
    const source = e.source === undefined ? undefined : withoutTrailingParenthesis(e.source);
    return h(
      'li',
      { class: `event event--${e.type}`, 'data-type': e.type },
      h('span', { class: 'event__when' }, timeEl(e.at)),
      h(
        'span',
        { class: 'event__what' },
        h('strong', null, title),
        showDetail ? h('span', { class: 'event__detail' }, detail) : null,
      ),
      source ? h('span', { class: 'event__source', title: e.source ?? '' }, `via ${source}`) : null,
    );
  }
}
