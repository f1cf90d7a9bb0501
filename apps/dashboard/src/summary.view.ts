import { byId, clear, h } from './dom.js';
import { formatCount, formatDay, formatMoney, formatShare, signed, STAGES } from './format.js';
import type { Summary } from './types.js';

/** The stage cards: one per status, with its count and share of all influencers. */
export function renderStages(summary: Summary): void {
  const list = byId('stages');
  clear(list);
  for (const stage of STAGES) {
    const count = summary.stages[stage.status] ?? 0;
    const share = formatShare(count, summary.total);
    const bar = h('span', { class: 'stage__fill' });
    // CSSOM, not a style attribute: the page's CSP forbids inline styles.
    bar.style.width = summary.total > 0 ? `${(count / summary.total) * 100}%` : '0';
    list.append(
      h(
        'li',
        { class: `stage stage--${stage.status}`, 'data-status': stage.status },
        h('h3', { class: 'stage__label' }, stage.label),
        h('p', { class: 'stage__count' }, formatCount(count)),
        h('p', { class: 'stage__share' }, `${share} of ${formatCount(summary.total)}`),
        h('span', { class: 'stage__bar', 'aria-hidden': 'true' }, bar),
      ),
    );
  }
}

/** Estimated purchases (clicks on the purchase link) beside Amazon-attributed ones once a report is uploaded. */
export function renderPurchases(summary: Summary): void {
  const box = byId('purchases');
  clear(box);
  const estimate = h(
    'div',
    { class: 'figure' },
    h('p', { class: 'figure__label' }, 'Estimated purchases'),
    h('p', { class: 'figure__value', id: 'estimated-purchases' }, formatCount(summary.estimatedPurchases)),
    h('p', { class: 'figure__note' }, 'influencers who clicked their purchase link'),
  );
  const a = summary.attribution;
  if (!a) {
    box.append(
      h('h2', { class: 'section-title' }, 'Purchases'),
      h('div', { class: 'figures' }, estimate),
      h(
        'p',
        { class: 'hint' },
        'Upload an Amazon Attribution report as Amazon exports it (POST /v1/campaigns/:id/attribution) to compare with attributed orders.',
      ),
    );
    return;
  }
  box.append(
    h('h2', { class: 'section-title' }, 'Purchases'),
    h(
      'div',
      { class: 'figures' },
      estimate,
      h(
        'div',
        { class: 'figure' },
        h('p', { class: 'figure__label' }, 'Amazon-attributed purchases'),
        h('p', { class: 'figure__value', id: 'attributed-purchases' }, formatCount(a.purchases)),
        h('p', { class: 'figure__note' }, `${formatCount(a.unitsSold)} units · ${formatMoney(a.sales)} in sales`),
        a.withBrandHalo?.purchases != null
          ? h(
              'p',
              { class: 'figure__note', id: 'brand-halo' },
              `${formatCount(a.withBrandHalo.purchases)} with the brand's other products`,
            )
          : null,
      ),
      h(
        'div',
        { class: 'figure' },
        h('p', { class: 'figure__label' }, 'Difference'),
        h('p', { class: 'figure__value' }, signed(a.difference)),
        h('p', { class: 'figure__note' }, 'attributed minus estimated'),
      ),
    ),
    h('p', { class: 'explanation', id: 'attribution-explanation' }, a.explanation),
    h(
      'p',
      { class: 'hint', id: 'attribution-through' },
      'Amazon report through ',
      h('time', { datetime: a.reportedThrough }, formatDay(a.reportedThrough)),
      a.level === 'campaign'
        ? '.'
        : a.level === 'adGroup'
          ? ', summed over its ad groups.'
          : ", summed over the influencers' tags.",
    ),
  );
}
