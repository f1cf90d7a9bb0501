import { showPanelError } from './panel-error.js';
import { Api, ApiError } from './api.js';
import { byId, clear, h, timeEl } from './dom.js';
import { downloadResponse } from './download.js';
import { formatCount } from './format.js';
import { formatAmount } from './money-format.js';
import type { Statement, StatementList, StatementSummary } from './types.js';

const LINE_TYPES: Record<Statement['lines'][number]['type'], string> = {
  payout: 'Payout',
  return_credit: 'Return credit',
  payout_reversed: 'Payout reversed',
};

type Totals = StatementSummary['totals']['byCurrency'][number];

/** `12.00 USD paid · 2.00 credited · 10.00 net`, one currency per line: amounts of two currencies never add up. */
const totalsText = (t: Totals): string =>
  `${formatAmount(t.payouts.amount, t.currency)} paid (${formatCount(t.payouts.count)}) · ` +
  `${formatAmount(t.credits.amount, t.currency)} credited (${formatCount(t.credits.count)}) · ` +
  `${formatAmount(t.net, t.currency)} net`;

/** Monday to Sunday as the brand's calendar reads them (`end` is exclusive: its last instant is the Sunday). */
function weekDays(s: { start: string; end: string; timezone: string }): string {
  let day: Intl.DateTimeFormat;
  try {
    day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: s.timezone });
  } catch {
    day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  }
  return `${day.format(new Date(s.start))} – ${day.format(new Date(Date.parse(s.end) - 1))}`;
}

/**
 * The Statements tab (the brand's, across its campaigns): weeks with payouts or credits, newest first, each
 * with its totals per currency and a CSV download; a week's lines on demand. Loaded when the tab is shown.
 */
export class StatementsPanel {
  private api: Api | null = null;
  private readonly box = byId('statements');

  constructor(private readonly onError: (err: ApiError) => void) {}

  async open(api: Api): Promise<void> {
    this.api = api;
    clear(this.box);
    this.box.append(h('p', { class: 'muted' }, 'Loading statements…'));
    try {
      const list = await api.json<StatementList>('/v1/statements');
      if (this.api !== api) return;
      this.render(list.items);
    } catch (err) {
      showPanelError(this.box, err, 'The statements could not be loaded.', this.onError);
    }
  }

  close(): void {
    this.api = null;
    clear(this.box);
  }

  private render(items: StatementSummary[]): void {
    clear(this.box);
    // Oldest first from the API; the week in progress and weeks with lines matter, newest on top.
    const weeks = items.filter((s) => s.lines > 0 || !s.closed).reverse();
    const zone = items[0]?.timezone ?? 'UTC';
    this.box.append(
      h(
        'p',
        { class: 'hint' },
        `What was paid each week, for all of this brand's campaigns (ISO weeks in ${zone}). A closed week never changes: a late event lands in the week it is recorded.`,
      ),
    );
    if (weeks.length === 0) {
      this.box.append(h('div', { class: 'empty' }, h('h3', null, 'No statements yet')));
      return;
    }
    const detail = h('div', { id: 'statement-detail', class: 'statement-detail' });
    this.box.append(
      h(
        'ul',
        { class: 'weeks', id: 'weeks' },
        ...weeks.map((s) =>
          h(
            'li',
            { class: 'week card', 'data-week': s.week },
            h(
              'div',
              { class: 'week__head' },
              h('h3', { class: 'week__name' }, s.week),
              h(
                'span',
                { class: `rbadge rbadge--${s.closed ? 'closed' : 'open'}` },
                s.closed ? 'Closed' : 'In progress',
              ),
              h('span', { class: 'muted' }, weekDays(s)),
            ),
            h('p', { class: 'week__lines' }, `${formatCount(s.lines)} ${s.lines === 1 ? 'line' : 'lines'}`),
            ...(s.totals.byCurrency.length
              ? s.totals.byCurrency.map((t) =>
                  h('p', { class: 'week__total', 'data-currency': t.currency }, totalsText(t)),
                )
              : [h('p', { class: 'week__total muted' }, 'Nothing paid yet')]),
            h(
              'div',
              { class: 'week__actions' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn--ghost btn--small',
                  'aria-label': `Lines of ${s.week}`,
                  onclick: () => void this.showWeek(s.week, detail),
                },
                'Show lines',
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'btn btn--ghost btn--small',
                  'aria-label': `Download ${s.week} as CSV`,
                  onclick: (e: Event) => void this.download(s.week, e.currentTarget as HTMLButtonElement),
                },
                'Download CSV',
              ),
            ),
          ),
        ),
      ),
      detail,
    );
  }

  private async showWeek(week: string, detail: HTMLElement): Promise<void> {
    const api = this.api;
    if (!api) return;
    clear(detail);
    detail.append(h('p', { class: 'muted' }, `Loading ${week}…`));
    try {
      const s = await api.json<Statement>(`/v1/statements/${encodeURIComponent(week)}`);
      clear(detail);
      detail.append(
        h('h3', { id: 'statement-title', tabindex: '-1' }, `Statement ${s.week}`),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'influencers statement-lines', id: 'statement-lines' },
            h('caption', { class: 'visually-hidden' }, `Lines of ${s.week}`),
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ...['Type', 'Campaign', 'Influencer', 'Order', 'Amount', 'Reference', 'Recorded'].map((c) =>
                  h('th', { scope: 'col', class: c === 'Amount' ? 'num' : null }, c),
                ),
              ),
            ),
            h(
              'tbody',
              null,
              ...s.lines.map((l) =>
                h(
                  'tr',
                  { 'data-type': l.type, 'data-handle': l.instagramHandle ?? '' },
                  h(
                    'td',
                    { 'data-label': 'Type' },
                    h('span', { class: `rbadge rbadge--${l.type}` }, LINE_TYPES[l.type]),
                  ),
                  h('td', { 'data-label': 'Campaign' }, l.campaignName),
                  h(
                    'th',
                    { scope: 'row', 'data-label': 'Influencer' },
                    l.instagramHandle ? `@${l.instagramHandle}` : '—',
                  ),
                  h('td', { 'data-label': 'Order' }, l.orderId ? h('code', null, l.orderId) : '—'),
                  h(
                    'td',
                    { 'data-label': 'Amount', class: 'num amount' },
                    `${l.type === 'payout' ? '' : '−'}${formatAmount(l.amount, l.currency)}`,
                  ),
                  h('td', { 'data-label': 'Reference' }, l.providerReference ?? '—'),
                  h('td', { 'data-label': 'Recorded', class: 'when' }, timeEl(l.at)),
                ),
              ),
            ),
          ),
        ),
        ...s.totals.byCampaign.map((t) =>
          h('p', { class: 'week__total', 'data-campaign': t.campaignId }, `${t.campaignName}: ${totalsText(t)}`),
        ),
      );
      byId('statement-title').focus();
    } catch (err) {
      showPanelError(detail, err, `${week} could not be loaded.`, this.onError);
    }
  }

  private async download(week: string, button: HTMLButtonElement): Promise<void> {
    const api = this.api;
    if (!api) return;
    button.disabled = true;
    try {
      const res = await api.fetch(`/v1/statements/${encodeURIComponent(week)}.csv`, {
        headers: { Accept: 'text/csv' },
      });
      await downloadResponse(res, `statement-${week}.csv`);
    } catch (err) {
      showPanelError(this.box, err, `${week}'s CSV could not be downloaded.`, this.onError, false);
    } finally {
      button.disabled = false;
    }
  }
}
