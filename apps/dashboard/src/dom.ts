import { formatDateTime, formatWhen } from './format.js';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

/**
 * Builds an element. Text always goes in as text nodes (never HTML), so data from the API cannot inject markup.
 * `on<event>` attributes become listeners; `true` sets a boolean attribute; null/false/undefined omit it.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== null && value !== undefined && value !== false) el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/**
 * A `<time>` element: machine-readable ISO in `datetime`, a local, human date as text. Day and time are two
 * unbreakable halves, so a narrow table cell wraps between them (`Nov 28,` / `10:00 PM`) and nowhere else.
 */
export function timeEl(iso: string | null | undefined): HTMLElement {
  return iso
    ? h('time', { datetime: iso, title: formatDateTime(iso) }, ...dayAndTime(formatWhen(iso)))
    : h(
        'span',
        { class: 'muted' },
        h('span', { 'aria-hidden': 'true' }, '—'),
        h('span', { class: 'visually-hidden' }, 'not yet'),
      );
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

function dayAndTime(text: string): Node[] {
  const at = text.lastIndexOf(', ') >= 0 ? text.lastIndexOf(', ') + 1 : text.lastIndexOf(' ');
  if (at <= 0) return [document.createTextNode(text)];
  return [
    h('span', { class: 'nowrap' }, text.slice(0, at)),
    document.createTextNode(' '),
    h('span', { class: 'nowrap' }, text.slice(at + 1)),
  ];
}
