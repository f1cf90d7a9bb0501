import { attributionFigures } from './attribution.view.js';
import { h, timeEl } from './dom.js';
import { formatCount, instagramProfileUrl, STAGES, statusLabel } from './format.js';
import { formatAmount, reimbursementLabel } from './money-format.js';
import type { InfluencerItem, StatusEvent } from './types.js';

/**
 * One influencer's row of the list. `open` opens the timeline, given the element focus returns to when it
 * closes: the row's button, whether the button or the row itself was clicked.
 */
export function influencerRow(item: InfluencerItem, open: (opener: HTMLElement) => void): HTMLTableRowElement {
  const handle = item.instagramHandle ?? '';
  const name = handle ? `@${handle}` : '(no handle)';
  const tr = h(
    'tr',
    { 'data-id': item.id, 'data-status': item.status, 'data-handle': handle },
    h(
      'th',
      { scope: 'row', 'data-label': 'Influencer' },
      handle
        ? h(
            'a',
            {
              href: instagramProfileUrl(handle),
              target: '_blank',
              rel: 'noopener noreferrer',
              'data-role': 'profile',
              class: 'handle',
            },
            name,
            h('span', { class: 'visually-hidden' }, ' (Instagram profile, opens in a new tab)'),
          )
        : name,
    ),
    h(
      'td',
      { 'data-label': 'Status' },
      h('span', { class: `badge badge--${item.status}` }, item.statusLabel || statusLabel(item.status)),
      verificationNote(item.verification),
    ),
    ...STAGES.map((s) => h('td', { 'data-label': s.label, 'data-stage': s.status, class: 'when' }, timeEl(item[s.at]))),
    h(
      'td',
      { 'data-label': 'Clicks', class: 'num' },
      h('span', { class: 'clicks' }, formatCount(item.purchaseClicks), h('small', null, ' purchase')),
      ' ',
      h('span', { class: 'clicks' }, formatCount(item.reviewClicks), h('small', null, ' review')),
    ),
    h('td', { 'data-label': 'Amazon', class: 'num amazon' }, attributionFigures(item.attribution, { compact: true })),
    h('td', { 'data-label': 'Reminders', class: 'num' }, formatCount(item.remindersSent)),
    reimbursementCell(item.reimbursement),
    h(
      'td',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn--ghost btn--small',
          'data-role': 'timeline',
          'aria-label': `Timeline of ${name}`,
          onclick: (e: Event) => open(e.currentTarget as HTMLElement),
        },
        'Timeline',
      ),
    ),
  );
  // The whole row opens the timeline for pointer users; keyboard users have the button.
  tr.addEventListener('click', (e) => {
    if (!(e.target instanceof Element) || e.target.closest('a, button')) return;
    open(tr.querySelector<HTMLElement>('[data-role="timeline"]') ?? tr);
  });
  return tr;
}

/** Moves a row to a live event's status at once (badge, the stage's time, a highlight). */
export function showStatus(row: HTMLTableRowElement, event: StatusEvent): void {
  const badge = row.querySelector('.badge');
  if (badge) {
    badge.className = `badge badge--${event.status}`;
    badge.textContent = statusLabel(event.status);
  }
  row.dataset.status = event.status;
  const stage = STAGES.find((s) => s.status === event.status);
  const cell = stage && row.querySelector(`td[data-stage="${stage.status}"]`);
  if (cell && !cell.querySelector('time')) cell.replaceChildren(timeEl(event.at));
  row.classList.remove('flash');
  void row.offsetWidth; // restart the highlight animation
  row.classList.add('flash');
}

/**
 * The reimbursement's state and amount; `returned` (the product went back to Amazon) stands out, as the brand
 * acts on it. Campaigns that reimburse nothing show a dash.
 */
function reimbursementCell(r: InfluencerItem['reimbursement']): HTMLTableCellElement {
  if (!r) return h('td', { 'data-label': 'Reimbursement', class: 'money muted' }, '—');
  return h(
    'td',
    { 'data-label': 'Reimbursement', class: 'money', 'data-state': r.state },
    h('span', { class: `rbadge rbadge--${r.state}` }, reimbursementLabel(r.state)),
    ' ',
    h('span', { class: 'amount' }, r.amount === null ? '' : formatAmount(r.amount, r.currency)),
    r.reason ? h('small', { class: 'reason' }, r.reason) : null,
  );
}

/** What Instagram said of the post: verified, still being looked for, removed, or accepted on the caption alone. */
const VERIFICATION_LABELS: Record<NonNullable<InfluencerItem['verification']>, string> = {
  verified: 'Verified on Instagram',
  pending: 'Checking Instagram…',
  removed: 'Post removed',
  unverified: 'Caption only (not checked)',
};

function verificationNote(v: InfluencerItem['verification']): HTMLElement | null {
  if (!v) return null;
  return h('small', { class: `verification verification--${v}`, 'data-verification': v }, VERIFICATION_LABELS[v]);
}
