import { Api, ApiError, isAbort, query } from './api.js';
import { byId, clear, h, show } from './dom.js';
import { STAGES } from './format.js';
import { influencerRow, showStatus } from './influencer-row.js';
import type { InfluencerItem, InfluencerPage, StatusEvent } from './types.js';

export interface ListFilter {
  status: string;
  /** handle prefix */
  q: string;
  limit: number;
}

interface PanelHandlers {
  open(influencerId: string, opener: HTMLElement): void;
  error(err: ApiError): void;
}

/** Leading `@` and case do not matter to people typing a handle. */
export const normalizeQuery = (q: string): string => q.trim().replace(/^@/, '').toLowerCase();

/**
 * The Influencers tab: filter by status, search by handle prefix, cursor paging (a stack of cursors makes
 * "Previous" possible), and rows that change in place when the live stream reports a status change.
 */
export class InfluencersPanel {
  private api: Api | null = null;
  private campaignId = '';
  private filter: ListFilter = { status: '', q: '', limit: 25 };
  private cursors: (string | undefined)[] = [undefined];
  private page = 0;
  private nextCursor: string | null = null;
  private inflight: AbortController | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private campaignTotal = 0;

  private readonly body = byId<HTMLTableSectionElement>('influencer-rows');
  private readonly table = byId<HTMLTableElement>('influencers');
  private readonly empty = byId('empty');
  private readonly listError = byId('list-error');
  private readonly announce = byId('list-status');

  constructor(private readonly handlers: PanelHandlers) {
    const status = byId<HTMLSelectElement>('filter-status');
    const q = byId<HTMLInputElement>('filter-q');
    const size = byId<HTMLSelectElement>('page-size');
    status.append(...STAGES.map((s) => h('option', { value: s.status }, s.label)));
    status.addEventListener('change', () => this.setFilter({ status: status.value }));
    size.addEventListener('change', () => this.setFilter({ limit: Number(size.value) || 25 }));
    q.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.setFilter({ q: normalizeQuery(q.value) }), 250);
    });
    byId<HTMLFormElement>('filters').addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(this.searchTimer);
      this.setFilter({ q: normalizeQuery(q.value) });
    });
    byId('prev-page').addEventListener('click', () => this.go(this.page - 1));
    byId('next-page').addEventListener('click', () => this.go(this.page + 1));
    this.filter.limit = Number(size.value) || 25;
  }

  get currentFilter(): ListFilter {
    return { ...this.filter };
  }

  /** Shows a campaign from its first page; the filter the user chose stays. */
  open(api: Api, campaignId: string, total: number): Promise<void> {
    this.api = api;
    this.campaignId = campaignId;
    this.campaignTotal = total;
    this.cursors = [undefined];
    this.page = 0;
    clear(this.body);
    return this.load(false);
  }

  close(): void {
    this.inflight?.abort();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.api = null;
  }

  /** The campaign's total changed (a sign-up): the current page may have new rows. */
  setTotal(total: number): void {
    if (total !== this.campaignTotal) {
      this.campaignTotal = total;
      this.scheduleRefresh();
    }
  }

  /**
   * Re-reads the current page soon: at most one request per interval however many changes arrive (a timer
   * restarted by every change would never fire during a steady stream of them).
   */
  scheduleRefresh(delayMs = 600): void {
    if (this.refreshTimer !== undefined && delayMs > 0) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.load(false);
    }, delayMs);
  }

  /** Moves the row at once from the stream's event; the refresh that follows fills in counters. */
  applyStatus(event: StatusEvent): void {
    const row = this.body.querySelector<HTMLTableRowElement>(`tr[data-id="${CSS.escape(event.influencerId)}"]`);
    if (row) showStatus(row, event);
    this.scheduleRefresh();
  }

  private setFilter(change: Partial<ListFilter>): void {
    const next = { ...this.filter, ...change };
    if (next.status === this.filter.status && next.q === this.filter.q && next.limit === this.filter.limit) return;
    this.filter = next;
    this.cursors = [undefined];
    this.page = 0;
    void this.load(true);
  }

  private go(page: number): void {
    if (page < 0 || page >= this.cursors.length + (this.nextCursor ? 1 : 0)) return;
    if (page === this.cursors.length && this.nextCursor) this.cursors.push(this.nextCursor);
    this.page = page;
    void this.load(true);
  }

  private async load(announce: boolean): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.inflight?.abort();
    const controller = new AbortController();
    this.inflight = controller;
    this.table.setAttribute('aria-busy', 'true');
    const path = `/v1/campaigns/${encodeURIComponent(this.campaignId)}/influencers${query({
      status: this.filter.status,
      q: this.filter.q,
      limit: this.filter.limit,
      cursor: this.cursors[this.page],
    })}`;
    try {
      const page = await api.json<InfluencerPage>(path, controller.signal);
      if (controller.signal.aborted) return;
      // The page we stood on may have emptied (a filter and live changes): step back rather than show nothing.
      if (page.items.length === 0 && this.page > 0) {
        this.cursors.length = this.page;
        this.page--;
        return this.load(announce);
      }
      this.nextCursor = page.nextCursor;
      this.cursors.length = this.page + 1;
      show(this.listError, false);
      this.render(page.items);
      if (announce) this.announce.textContent = this.describe(page.items.length);
    } catch (err) {
      if (isAbort(err)) return;
      const apiErr = err instanceof ApiError ? err : new ApiError('network', String(err));
      this.listError.textContent = `The influencers could not be loaded. ${apiErr.message}`;
      show(this.listError, true);
      this.handlers.error(apiErr);
    } finally {
      if (this.inflight === controller) {
        this.inflight = null;
        this.table.removeAttribute('aria-busy');
      }
    }
  }

  private describe(count: number): string {
    const from = this.page * this.filter.limit + 1;
    return count === 0
      ? 'No influencers match.'
      : `Showing influencers ${from} to ${from + count - 1}, page ${this.page + 1}.`;
  }

  private render(items: InfluencerItem[]): void {
    // Keep keyboard focus on the same row's control across a re-render.
    const active = document.activeElement;
    const focusRow =
      active instanceof HTMLElement && this.body.contains(active) ? active.closest('tr')?.dataset.id : undefined;
    const focusRole = active instanceof HTMLElement ? active.dataset.role : undefined;

    this.body.replaceChildren(
      ...items.map((item) => influencerRow(item, (opener) => this.handlers.open(item.id, opener))),
    );
    const filtered = this.filter.status !== '' || this.filter.q !== '';
    show(this.table, items.length > 0);
    show(this.empty, items.length === 0);
    if (items.length === 0) this.renderEmpty(filtered);

    const prev = byId<HTMLButtonElement>('prev-page');
    const next = byId<HTMLButtonElement>('next-page');
    prev.disabled = this.page === 0;
    next.disabled = !this.nextCursor;
    byId('page-label').textContent = `Page ${this.page + 1}`;
    show(byId('pager'), this.page > 0 || this.nextCursor !== null);

    if (focusRow && focusRole) {
      this.body.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(focusRow)}"] [data-role="${focusRole}"]`)?.focus();
    }
  }

  private renderEmpty(filtered: boolean): void {
    clear(this.empty);
    if (filtered) {
      this.empty.append(
        h('h3', null, 'No influencers match'),
        h('p', null, 'Nobody in this campaign matches the status and handle you chose.'),
        h('button', { type: 'button', class: 'btn btn--ghost', onclick: () => this.resetFilter() }, 'Clear filters'),
      );
    } else {
      this.empty.append(
        h('h3', null, 'No influencers yet'),
        h('p', null, 'Influencers appear here, and in the counts above, as soon as they sign up to this campaign.'),
      );
    }
  }

  private resetFilter(): void {
    byId<HTMLSelectElement>('filter-status').value = '';
    byId<HTMLInputElement>('filter-q').value = '';
    this.setFilter({ status: '', q: '' });
    byId('filter-status').focus();
  }
}
