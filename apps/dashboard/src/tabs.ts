/**
 * WAI-ARIA tabs: one tab stop for the whole tab list, arrow keys (and Home/End) move between tabs and
 * select them, each tab shows its own panel (`aria-controls`); `onSelect` hears which tab was chosen (panels
 * that load on first sight).
 */
export function bindTabs(list: HTMLElement, onSelect: (tabId: string) => void = () => undefined): void {
  const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement, focus: boolean) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(t.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    }
    if (focus) tab.focus();
    onSelect(tab.id);
  };
  for (const [i, tab] of tabs.entries()) {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (e) => {
      const to =
        e.key === 'ArrowRight'
          ? tabs[(i + 1) % tabs.length]
          : e.key === 'ArrowLeft'
            ? tabs[(i - 1 + tabs.length) % tabs.length]
            : e.key === 'Home'
              ? tabs[0]
              : e.key === 'End'
                ? tabs[tabs.length - 1]
                : undefined;
      if (!to) return;
      e.preventDefault();
      select(to, true);
    });
  }
}
