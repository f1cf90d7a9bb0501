import { Api, ApiError, isAbort, query } from './api.js';
import { AskDialog } from './ask-dialog.js';
import { byId, clear, h, show, timeEl } from './dom.js';
import { downloadResponse } from './download.js';
import { formatCount } from './format.js';
import { formatAmount, REIMBURSEMENT_LABELS, reimbursementLabel } from './money-format.js';
import type { BulkApproveResult, ReimbursementItem, ReimbursementPage, ReimbursementState } from './types.js';

interface Handlers {
  /** a reimbursement moved: the money figures and the influencer list are re-read */
  changed(): void;
  error(err: ApiError): void;
}

type Action = 'approve' | 'reject' | 'retry' | 'paid';
/** The moves the API allows from each state (the others answer 409 `invalid_state`). */
const ACTIONS: Partial<Record<ReimbursementState, Action[]>> = {
  pending_review: ['approve', 'reject'],
  held: ['approve', 'reject'],
  approved: ['paid'],
  failed: ['retry', 'reject'],
};
const ACTION_TEXT: Record<Action, string> = { approve: 'Approve', reject: 'Reject', retry: 'Retry', paid: 'Mark paid' };
const PAGE = 50;

const handleOf = (item: ReimbursementItem) => (item.instagramHandle ? `@${item.instagramHandle}` : '(no handle)');

/**
 * The Reimbursements tab: "To review" first (pending_review, with Approve and Reject), any other state on
 * demand, keyset pages ("Show more"). Reject and Mark paid ask for their text in a dialog.
 */
export class ReimbursementsPanel {
  private api: Api | null = null;
  private campaignId = '';
  private currency = 'USD';
  private state = 'pending_review';
  private items: ReimbursementItem[] = [];
  private nextCursor: string | null = null;
  private inflight: AbortController | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly ask = new AskDialog();
  private readonly body = byId<HTMLTableSectionElement>('reimbursement-rows');
  private readonly table = byId<HTMLTableElement>('reimbursements');
  private readonly empty = byId('money-empty');
  private readonly errorBox = byId('money-error');

  constructor(private readonly handlers: Handlers) {
    const filter = byId<HTMLSelectElement>('money-filter');
    filter.append(
      ...Object.entries(REIMBURSEMENT_LABELS)
        .filter(([state]) => state !== 'pending_review')
        .map(([state, label]) => h('option', { value: state }, label)),
      h('option', { value: '' }, 'All'),
    );
    filter.addEventListener('change', () => {
      this.state = filter.value;
      void this.load(false);
    });
    byId('money-more').addEventListener('click', () => void this.load(true));
    byId('approve-all').addEventListener('click', () => void this.approveAll());
    byId('payouts-csv').addEventListener('click', () => void this.downloadPayouts());
  }

  open(api: Api, campaignId: string, currency: string): Promise<void> {
    this.api = api;
    this.campaignId = campaignId;
    this.currency = currency;
    return this.load(false);
  }

  close(): void {
    this.inflight?.abort();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.api = null;
  }

  /** Re-reads what is shown (the tab shown again). */
  refresh(): Promise<void> {
    return this.load(false);
  }

  /** Re-reads soon after live changes: one request per interval however many arrive. */
  scheduleRefresh(delayMs = 800): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      void this.load(false);
    }, delayMs);
  }

  private path(suffix = ''): string {
    return `/v1/campaigns/${encodeURIComponent(this.campaignId)}/reimbursements${suffix}`;
  }

  private async load(more: boolean): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.inflight?.abort();
    const controller = new AbortController();
    this.inflight = controller;
    this.table.setAttribute('aria-busy', 'true');
    try {
      const page = await api.json<ReimbursementPage>(
        this.path(query({ status: this.state, limit: PAGE, cursor: more ? this.nextCursor : null })),
        controller.signal,
      );
      if (controller.signal.aborted) return;
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      this.render();
    } catch (err) {
      if (isAbort(err)) return;
      this.fail(err, 'The reimbursements could not be loaded.');
    } finally {
      if (this.inflight === controller) {
        this.inflight = null;
        this.table.removeAttribute('aria-busy');
      }
    }
  }

  private render(): void {
    this.body.replaceChildren(...this.items.map((item) => this.row(item)));
    show(this.table, this.items.length > 0);
    show(this.empty, this.items.length === 0);
    clear(this.empty);
    if (this.items.length === 0) {
      this.empty.append(
        h('h3', null, this.state === 'pending_review' ? 'Nothing to review' : 'No reimbursements here'),
        h(
          'p',
          null,
          this.state === 'pending_review'
            ? 'Reimbursements that wait for your approval appear here once the influencer is done and has sent proof of purchase.'
            : 'No reimbursement of this campaign is in this state.',
        ),
      );
    }
    show(byId('money-more'), this.nextCursor !== null);
    show(byId('approve-all'), this.state === 'pending_review' && this.items.length > 0);
    show(byId('payouts-csv'), this.state === 'approved' && this.items.length > 0);
  }

  private row(item: ReimbursementItem): HTMLTableRowElement {
    const name = handleOf(item);
    return h(
      'tr',
      { 'data-id': item.id, 'data-state': item.state, 'data-handle': item.instagramHandle ?? '' },
      h('th', { scope: 'row', 'data-label': 'Influencer', class: 'handle' }, name),
      h(
        'td',
        { 'data-label': 'State' },
        h('span', { class: `rbadge rbadge--${item.state}` }, reimbursementLabel(item.state)),
      ),
      h('td', { 'data-label': 'Amount', class: 'num amount' }, formatAmount(item.amount, item.currency)),
      h('td', { 'data-label': 'Order' }, item.orderId ? h('code', null, item.orderId) : '—'),
      h('td', { 'data-label': 'They paid', class: 'num' }, formatAmount(item.amountPaid, item.currency)),
      h('td', { 'data-label': 'Reason', class: 'reason' }, item.reason ?? null),
      h('td', { 'data-label': 'Updated', class: 'when' }, timeEl(item.updatedAt)),
      h(
        'td',
        { class: 'actions' },
        ...(ACTIONS[item.state] ?? []).map((action) =>
          h(
            'button',
            {
              type: 'button',
              class: `btn btn--small${action === 'reject' ? ' btn--ghost' : ''}`,
              'data-role': action,
              'aria-label': `${ACTION_TEXT[action]} the reimbursement of ${name}`,
              onclick: (e: Event) => void this.act(item, action, e.currentTarget as HTMLButtonElement),
            },
            ACTION_TEXT[action],
          ),
        ),
      ),
    );
  }

  private async act(item: ReimbursementItem, action: Action, button: HTMLButtonElement): Promise<void> {
    const api = this.api;
    if (!api) return;
    const name = handleOf(item);
    let body: unknown;
    if (action === 'reject') {
      const reason = await this.ask.ask({
        title: `Reject the reimbursement of ${name}`,
        label: 'Reason (the influencer is told)',
        submit: 'Reject',
        maxLength: 500,
      });
      if (reason === null) return;
      body = { reason };
    } else if (action === 'paid') {
      const reference = await this.ask.ask({
        title: `Mark the reimbursement of ${name} paid`,
        label: 'Your payment reference',
        submit: 'Mark paid',
        maxLength: 200,
      });
      if (reference === null) return;
      body = { reference };
    }
    button.disabled = true;
    try {
      const after = await api.post<ReimbursementItem>(this.path(`/${encodeURIComponent(item.id)}/${action}`), body);
      show(this.errorBox, false);
      this.say(`The reimbursement of ${name} is now ${reimbursementLabel(after.state)}.`);
      await this.load(false);
      this.handlers.changed();
    } catch (err) {
      button.disabled = false;
      this.fail(err, `${ACTION_TEXT[action]} ${name}: not done.`);
    }
  }

  /** Approves everything to review, in id order, up to the budget; says what was refused and why. */
  private async approveAll(): Promise<void> {
    const api = this.api;
    const button = byId<HTMLButtonElement>('approve-all');
    if (!api) return;
    button.disabled = true;
    try {
      const out = await api.post<BulkApproveResult>(this.path('/approve'), { status: 'pending_review' });
      const overBudget = out.refused.filter((r) => r.code === 'over_budget').length;
      const message =
        `Approved ${formatCount(out.approved.length)}.` +
        (out.refused.length
          ? ` ${formatCount(out.refused.length)} not approved${overBudget ? ` (${formatCount(overBudget)} over the budget)` : ''}.`
          : '');
      this.say(message);
      this.errorBox.textContent = out.refused.length ? message : '';
      show(this.errorBox, out.refused.length > 0);
      await this.load(false);
      this.handlers.changed();
    } catch (err) {
      this.fail(err, 'Approve all: not done.');
    } finally {
      button.disabled = false;
    }
  }

  /** The manual provider's list of approved reimbursements to pay (`payouts.csv`), fetched with the key. */
  private async downloadPayouts(): Promise<void> {
    const api = this.api;
    const button = byId<HTMLButtonElement>('payouts-csv');
    if (!api) return;
    button.disabled = true;
    try {
      const res = await api.fetch(`/v1/campaigns/${encodeURIComponent(this.campaignId)}/payouts.csv`, {
        headers: { Accept: 'text/csv' },
      });
      this.say(`Downloaded ${await downloadResponse(res, `campaign-${this.campaignId}-payouts.csv`)}.`);
    } catch (err) {
      this.fail(err, 'The payouts CSV could not be downloaded.');
    } finally {
      button.disabled = false;
    }
  }

  private say(text: string): void {
    byId('money-status').textContent = text;
  }

  private fail(err: unknown, what: string): void {
    const apiErr = err instanceof ApiError ? err : new ApiError('network', String(err));
    const left = (apiErr.details as { budgetLeft?: unknown } | undefined)?.budgetLeft;
    const why =
      apiErr.code === 'over_budget' && typeof left === 'string'
        ? `Approving it would exceed the campaign's budget: ${formatAmount(left, this.currency)} left.`
        : apiErr.message;
    this.errorBox.textContent = `${what} ${why}`;
    show(this.errorBox, true);
    if (apiErr.kind === 'unauthorized' || apiErr.kind === 'network' || apiErr.kind === 'unavailable')
      this.handlers.error(apiErr);
  }
}
