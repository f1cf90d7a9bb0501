import { byId, clear, h, show } from './dom.js';
import { formatCount } from './format.js';
import { formatAmount } from './money-format.js';
import type { Summary } from './types.js';

/**
 * The money figures above the tabs: paid, owed (due and not paid yet), the budget left, and how many wait for
 * the brand's review. Hidden for a campaign that reimburses nothing (`reimbursements: null`).
 */
export function renderMoney(summary: Summary): void {
  const box = byId('money');
  clear(box);
  const r = summary.reimbursements;
  show(box, r !== null);
  if (!r) return;
  const figure = (id: string, label: string, value: string, note: string) =>
    h(
      'div',
      { class: 'figure', id },
      h('p', { class: 'figure__label' }, label),
      h('p', { class: 'figure__value' }, value),
      h('p', { class: 'figure__note' }, note),
    );
  const reimbursements = (n: number) => `${formatCount(n)} ${n === 1 ? 'reimbursement' : 'reimbursements'}`;
  box.append(
    h('h2', { class: 'section-title' }, 'Reimbursements'),
    h(
      'div',
      { class: 'figures' },
      figure('money-paid', 'Paid', formatAmount(r.paid.amount, r.currency), reimbursements(r.paid.count)),
      figure(
        'money-owed',
        'Owed',
        formatAmount(r.due.amount, r.currency),
        `${reimbursements(r.due.count)} not paid yet`,
      ),
      figure(
        'money-budget',
        'Budget left',
        summary.budgetLeft === null ? 'No limit' : formatAmount(summary.budgetLeft, r.currency),
        summary.budgetLeft === null ? 'this campaign has no budget' : 'may still be approved',
      ),
      figure(
        'money-review',
        'To review',
        formatCount(r.pendingReview.count),
        `${formatAmount(r.pendingReview.amount, r.currency)} waiting for your approval`,
      ),
    ),
  );
}
