import { h } from './dom.js';
import { formatCount, formatMoney } from './format.js';
import type { InfluencerItem } from './types.js';

export const MASKED_TEXT = 'hidden by Amazon (under 10 clicks)';

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * What Amazon Attribution credits to the influencer's own tag. Amazon shows zeros for a tag under 10 clicks;
 * saying "0 purchases" there would be wrong, so the cell says the figures are hidden. `compact` (the table)
 * keeps the click-throughs in the tooltip so the row stays narrow.
 */
export function attributionFigures(a: InfluencerItem['attribution'], opts: { compact?: boolean } = {}): HTMLElement {
  if (!a) {
    return h(
      'span',
      { class: 'muted', title: 'No Amazon Attribution tag, or no report rows for it yet' },
      h('span', { 'aria-hidden': 'true' }, '—'),
      h('span', { class: 'visually-hidden' }, 'no Amazon figures'),
    );
  }
  const clicks = plural(a.clickThroughs, 'click', 'clicks');
  if (a.masked) {
    return h(
      'span',
      { class: 'masked', 'data-role': 'masked', title: `${clicks} so far; Amazon shows figures from 10 clicks on` },
      MASKED_TEXT,
    );
  }
  const purchases = h(
    'span',
    { class: 'clicks' },
    formatCount(a.purchases),
    h('small', null, a.purchases === 1 ? ' purchase' : ' purchases'),
  );
  const sales = h(
    'span',
    { class: 'clicks' },
    formatMoney(a.sales),
    h('small', null, opts.compact ? ' sales' : ` in sales · ${clicks}`),
  );
  return h('span', { class: 'attributed', title: `${clicks} on the tag` }, purchases, ' ', sales);
}
