/*
 * The inside of the reminder preview's frame: a sandboxed page of its own (opaque origin, no access to the
 * dashboard or its key) whose CSP lets an email's inline styles apply, which the dashboard's own CSP forbids.
 * The dashboard posts the rendered HTML; scripts in it never run (parsed, not executed) and links go nowhere.
 */
const EMAIL_MESSAGE = 'seedline-email';

function show(html: string): void {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.head.replaceWith(document.importNode(parsed.head, true));
  document.body.replaceWith(document.importNode(parsed.body, true));
  for (const a of Array.from(document.querySelectorAll('a'))) a.addEventListener('click', (e) => e.preventDefault());
  reportHeight();
}

// The dashboard sizes the frame to its content: again whenever that changes (and when a hidden tab is shown).
function reportHeight(): void {
  window.parent.postMessage({ type: 'seedline-email-height', height: document.documentElement.scrollHeight }, '*');
}
new ResizeObserver(reportHeight).observe(document.documentElement);

window.addEventListener('message', (e: MessageEvent<{ type?: string; html?: string }>) => {
  if (e.source !== window.parent || e.data?.type !== EMAIL_MESSAGE || typeof e.data.html !== 'string') return;
  show(e.data.html);
});
window.parent.postMessage({ type: 'seedline-email-ready' }, '*');
