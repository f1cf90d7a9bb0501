import { h } from './dom.js';
import { formatCount, formatMoney } from './format.js';
import type { InfluencerItem } from './types.js';

export const MASKED_TEXT = 'hidden by Amazon (under 10 clicks)';

/**
 * What Amazon Attribution credits to the influencer's own tag. Amazon shows zeros for a tag under 10 clicks;
 * saying "0 purchases" there would be wrong, so the cell says the figures are hidden.
 */
export function attributionFigures(a: InfluencerItem['attribution']): HTMLElement {
  if (!a)
    return h(
      'span',
      { class: 'muted', title: 'No Amazon Attribution tag, or no report rows for it yet' },
      h('span', { 'aria-hidden': 'true' }, '—'),
      h('span', { class: 'visually-hidden' }, 'no Amazon figures'),
    );
  if (a.masked)
    return h(
      'span',
      {
        class: 'masked',
        'data-role': 'masked',
        title: `${formatCount(a.clickThroughs)} clicks so far; Amazon shows figures from 10 clicks on`,
      },
      MASKED_TEXT,
    );
  return h(
    'span',
    { class: 'attributed' },
    h(
      'span',
      { class: 'clicks' },
      formatCount(a.purchases),
      h('small', null, a.purchases === 1 ? ' purchase' : ' purchases'),
    ),
    ' ',
    h('span', { class: 'clicks' }, formatMoney(a.sales), h('small', null, ` · ${formatCount(a.clickThroughs)} clicks`)),
  );
}
