import { showPanelError } from './panel-error.js';
import { Api, ApiError, query } from './api.js';
import { append, byId, clear, h, timeEl } from './dom.js';
import { formatCount } from './format.js';
import type { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint } from './types.js';

const base = (endpointId: string) => `/v1/webhook-endpoints/${encodeURIComponent(endpointId)}`;
const DELIVERY_LABELS: Record<WebhookDelivery['status'], string> = {
  pending: 'Pending',
  succeeded: 'Delivered',
  failed: 'Failed',
};
const PAGE = 20;

/** `Enabled`, `Failing since …`, or why it was disabled: what the brand needs to act on. */
function endpointState(e: WebhookEndpoint): HTMLElement {
  if (!e.enabled) {
    const why =
      e.disabledReason === 'gone'
        ? 'Disabled: the receiver answered 410 Gone'
        : e.disabledReason === 'failing'
          ? 'Disabled after failing for too long'
          : 'Paused';
    return h('span', { class: 'rbadge rbadge--failed', 'data-role': 'endpoint-state' }, why);
  }
  if (e.failingSince)
    return h(
      'span',
      { class: 'rbadge rbadge--held', 'data-role': 'endpoint-state' },
      'Failing since ',
      timeEl(e.failingSince),
    );
  return h('span', { class: 'rbadge rbadge--paid', 'data-role': 'endpoint-state' }, 'Enabled');
}

/** The last attempt's answer: the HTTP status (and time taken), or the error when no answer came. */
function lastAttempt(d: WebhookDelivery): string {
  const last = d.attempts[d.attempts.length - 1];
  if (!last) return 'not sent yet';
  const answer = last.status === null ? (last.error ?? 'no answer') : `HTTP ${last.status}`;
  return `${answer} · ${formatCount(Math.round(last.durationMs))} ms`;
}

/**
 * The Webhooks tab (the brand's, across its campaigns): its endpoints with their state, and the chosen
 * endpoint's recent deliveries with the last attempt's answer and a Retry button for failed ones. Endpoints
 * are created through the API (their secret is shown once, there); a test ping can be sent from here.
 */
export class WebhooksPanel {
  private api: Api | null = null;
  private endpoints: WebhookEndpoint[] = [];
  private selected: string | null = null;
  private deliveries: WebhookDelivery[] = [];
  private nextCursor: string | null = null;
  private readonly box = byId('webhooks');
  private readonly list = h('ul', { class: 'endpoints', id: 'endpoints' });
  private readonly detail = h('section', { class: 'deliveries', id: 'deliveries', 'aria-live': 'polite' });
  private readonly message = h('p', { class: 'visually-hidden', id: 'webhooks-status', 'aria-live': 'polite' });

  constructor(private readonly onError: (err: ApiError) => void) {}

  async open(api: Api): Promise<void> {
    this.api = api;
    clear(this.box);
    this.box.append(h('p', { class: 'muted' }, 'Loading webhook endpoints…'));
    try {
      const { items } = await api.json<{ items: WebhookEndpoint[] }>('/v1/webhook-endpoints');
      if (this.api !== api) return;
      this.endpoints = items;
      this.render();
      const keep = items.find((e) => e.id === this.selected) ?? items[0];
      if (keep) await this.select(keep.id);
    } catch (err) {
      showPanelError(this.box, err, 'The webhook endpoints could not be loaded.', this.onError);
    }
  }

  close(): void {
    this.api = null;
    clear(this.box);
  }

  private render(): void {
    clear(this.box);
    this.box.append(
      h(
        'p',
        { class: 'hint' },
        "Seedline posts this brand's events (all campaigns) to these endpoints, signed by the Standard Webhooks specification. Add one with ",
        h('code', null, 'POST /v1/webhook-endpoints'),
        '.',
      ),
      this.message,
    );
    if (this.endpoints.length === 0) {
      this.box.append(h('div', { class: 'empty' }, h('h3', null, 'No webhook endpoints yet')));
      return;
    }
    this.list.replaceChildren(...this.endpoints.map((e) => this.endpointItem(e)));
    this.box.append(this.list, this.detail);
  }

  private endpointItem(e: WebhookEndpoint): HTMLLIElement {
    return h(
      'li',
      { class: 'endpoint card', 'data-id': e.id, 'aria-current': e.id === this.selected ? 'true' : null },
      h('p', { class: 'endpoint__url' }, e.url),
      e.description ? h('p', { class: 'muted' }, e.description) : null,
      h(
        'p',
        { class: 'endpoint__meta' },
        endpointState(e),
        ' ',
        h('span', { class: 'muted' }, e.events.length ? e.events.join(', ') : 'all events'),
      ),
      h(
        'div',
        { class: 'week__actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn--ghost btn--small',
            'aria-label': `Deliveries to ${e.url}`,
            onclick: () => void this.select(e.id),
          },
          'Deliveries',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn btn--ghost btn--small',
            'aria-label': `Send a test ping to ${e.url}`,
            onclick: () => void this.ping(e),
          },
          'Send test',
        ),
      ),
    );
  }

  private async select(endpointId: string, more = false): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.selected = endpointId;
    for (const li of this.list.querySelectorAll<HTMLElement>('li[data-id]')) {
      if (li.dataset.id === endpointId) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    }
    try {
      const page = await api.json<WebhookDeliveryPage>(
        `${base(endpointId)}/deliveries${query({ limit: PAGE, cursor: more ? this.nextCursor : null })}`,
      );
      if (this.selected !== endpointId) return;
      this.deliveries = more ? [...this.deliveries, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      this.renderDeliveries(endpointId);
    } catch (err) {
      showPanelError(this.detail, err, 'The deliveries could not be loaded.', this.onError);
    }
  }

  private renderDeliveries(endpointId: string): void {
    const endpoint = this.endpoints.find((e) => e.id === endpointId);
    clear(this.detail);
    this.detail.append(
      h(
        'div',
        { class: 'deliveries__head' },
        h('h3', null, 'Recent deliveries', h('span', { class: 'muted' }, ` to ${endpoint?.url ?? ''}`)),
        h(
          'button',
          { type: 'button', class: 'btn btn--ghost btn--small', onclick: () => void this.select(endpointId) },
          'Refresh',
        ),
      ),
    );
    if (this.deliveries.length === 0) {
      this.detail.append(h('p', { class: 'muted', id: 'no-deliveries' }, 'Nothing delivered to this endpoint yet.'));
      return;
    }
    const head = ['Event', 'Status', 'Attempts', 'Last answer', 'Created', 'Next attempt', ''];
    append(this.detail, [
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'influencers delivery-table', id: 'delivery-table' },
          h('caption', { class: 'visually-hidden' }, 'Recent deliveries, newest first'),
          h('thead', null, h('tr', null, ...head.map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', { id: 'delivery-rows' }, ...this.deliveries.map((d) => this.deliveryRow(endpointId, d))),
        ),
      ),
      this.nextCursor
        ? h(
            'button',
            { type: 'button', class: 'btn btn--ghost', onclick: () => void this.select(endpointId, true) },
            'Show more',
          )
        : null,
    ]);
  }

  private deliveryRow(endpointId: string, d: WebhookDelivery): HTMLTableRowElement {
    return h(
      'tr',
      { 'data-id': d.id, 'data-status': d.status, 'data-type': d.type },
      h('th', { scope: 'row', 'data-label': 'Event' }, h('code', null, d.type)),
      h(
        'td',
        { 'data-label': 'Status' },
        h('span', { class: `rbadge rbadge--delivery-${d.status}` }, DELIVERY_LABELS[d.status]),
      ),
      h('td', { 'data-label': 'Attempts', class: 'num' }, formatCount(d.attempts.length)),
      h('td', { 'data-label': 'Last answer', class: 'answer' }, lastAttempt(d)),
      h('td', { 'data-label': 'Created', class: 'when' }, timeEl(d.createdAt)),
      h('td', { 'data-label': 'Next attempt', class: 'when' }, d.nextAttemptAt ? timeEl(d.nextAttemptAt) : '—'),
      h(
        'td',
        { class: 'actions' },
        d.status === 'failed'
          ? h(
              'button',
              {
                type: 'button',
                class: 'btn btn--small',
                'aria-label': `Retry the ${d.type} delivery`,
                onclick: (e: Event) => void this.retry(endpointId, d, e.currentTarget as HTMLButtonElement),
              },
              'Retry',
            )
          : null,
      ),
    );
  }

  private async retry(endpointId: string, d: WebhookDelivery, button: HTMLButtonElement): Promise<void> {
    const api = this.api;
    if (!api) return;
    button.disabled = true;
    try {
      await api.post(`${base(endpointId)}/deliveries/${encodeURIComponent(d.id)}/retry`);
      this.message.textContent = `The ${d.type} delivery is queued again.`;
      await this.select(endpointId);
    } catch (err) {
      button.disabled = false;
      showPanelError(this.detail, err, 'Retry: not done.', this.onError, false);
    }
  }

  private async ping(e: WebhookEndpoint): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      await api.post(`${base(e.id)}/test`);
      this.message.textContent = `A test ping is on its way to ${e.url}.`;
      await this.select(e.id);
    } catch (err) {
      showPanelError(this.detail, err, 'The test ping was not sent.', this.onError, false);
    }
  }
}
