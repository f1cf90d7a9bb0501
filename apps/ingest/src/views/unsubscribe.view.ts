import { escapeHtml as esc } from '@seedline/domain';
import { htmlPage, sha256Source } from './html-page.js';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#161b22;line-height:1.5}
main{max-width:30rem;margin:0 auto;padding:2rem 1rem}
.card{background:#fff;border:1px solid #d5dae1;border-radius:10px;padding:1.25rem 1.25rem 1.5rem}
h1{font-size:1.4rem;margin:0 0 .75rem}
p{margin:0 0 1rem}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.65rem 1.3rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;width:100%}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.muted{color:#4b5563;font-size:.9rem;margin:1rem 0 0}
`;

/** No script at all; only this page's own style, and its form may only post back here. */
export const UNSUBSCRIBE_CSP = [
  "default-src 'none'",
  `style-src ${sha256Source(STYLE)}`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = (title: string, body: string) => htmlPage(title, STYLE, `<div class="card">${body}</div>`);

/**
 * The page an unsubscribe link opens. It only asks: mail scanners and link previews fetch every link in a
 * message, so a GET must never unsubscribe; the button posts back to the same address.
 */
export function renderUnsubscribeConfirm(campaignName: string): string {
  return page(
    'Unsubscribe from reminders',
    `<h1>Stop reminders about ${esc(campaignName)}?</h1>
<p>You will get no more reminder emails about this campaign. Your links keep working.</p>
<form method="post"><input type="hidden" name="confirm" value="yes"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function renderUnsubscribed(campaignName: string): string {
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1><p>You will get no more reminders about ${esc(campaignName)}.</p>
<p class="muted">Unsubscribed by mistake? Ask the brand to add you again.</p>`,
  );
}

export function renderUnsubscribeNotFound(): string {
  return page(
    'Link not found',
    '<h1>Link not found</h1><p>This unsubscribe link is not valid. Check that it was copied in full.</p>',
  );
}
