import { htmlPage, sha256Source } from './html-page.js';

export interface SubmitFormModel {
  token: string;
  campaignName: string;
  requirements: { hashtags: string[]; mentions: string[] };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * What the caption still lacks, as `#tag` / `@name`, by the worker's rule (domain `verifyCaption`): whole
 * tokens, case-insensitive, so `#Ad` satisfies `ad` and `#adventure` does not. It also runs in the browser,
 * serialised into the page, so it must stay self-contained: no imports, no outer variables.
 */
export function missingFromCaption(caption: string, hashtags: string[], mentions: string[]): string[] {
  const text = caption.toLowerCase();
  // Trailing dots are cut by a backwards scan (a `/\.+$/` regex is quadratic on a long run of dots).
  const cutDots = (s: string) => {
    let end = s.length;
    while (end > 0 && s[end - 1] === '.') end--;
    return s.slice(0, end);
  };
  const found = (pattern: RegExp) => new Set(Array.from(text.matchAll(pattern), (m) => cutDots(m[1] ?? '')));
  const tags = found(/(?:^|[^\p{L}\p{N}_#])#([\p{L}\p{N}_]+)/gu);
  const names = found(/(?:^|[^\p{L}\p{N}_@.])@([a-z0-9._]+)/gu);
  const bare = (t: string) => t.trim().replace(/^[#@]/, '').toLowerCase();
  return [
    ...hashtags
      .map(bare)
      .filter((h) => !tags.has(h))
      .map((h) => `#${h}`),
    ...mentions
      .map(bare)
      .filter((m) => !names.has(m))
      .map((m) => `@${m}`),
  ];
}

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#161b22;line-height:1.45}
main{max-width:34rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;margin:.25rem 0 .25rem}h2{font-size:1rem;margin:0 0 .5rem}
.campaign{margin:0 0 1.25rem;color:#374151}
.card{background:#fff;border:1px solid #d5dae1;border-radius:10px;padding:1rem 1.1rem;margin-bottom:1.25rem}
.checklist{list-style:none;margin:0;padding:0;display:grid;gap:.4rem}
.checklist li{display:flex;align-items:center;gap:.6rem}
.mark{display:inline-flex;align-items:center;justify-content:center;width:1.5rem;height:1.5rem;border-radius:50%;border:2px solid #6b7280;font-weight:700;font-size:.85rem;flex:none}
.checklist li.ok .mark{background:#15803d;border-color:#15803d;color:#fff}
.tag{font-weight:700;color:#1e3a8a;background:#e0e7ff;border-radius:1rem;padding:.05rem .55rem}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
input,textarea{width:100%;font:inherit;padding:.65rem;border:1px solid #6b7280;border-radius:6px;background:#fff;color:inherit}
input[aria-invalid=true]{border-color:#b91c1c;border-width:2px}
textarea{min-height:8rem;resize:vertical}
button{margin-top:1.1rem;font:inherit;font-weight:600;min-height:2.75rem;padding:.65rem 1.3rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;width:100%}
button:disabled{opacity:.65;cursor:default}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.hint{color:#4b5563;font-size:.875rem;margin:.3rem 0 0}
.field-error{color:#b91c1c;font-weight:600;font-size:.9rem;margin:.3rem 0 0}
#verdict{margin-top:1.25rem;padding:.9rem 1rem;border-radius:8px;border:2px solid transparent}
#verdict h2{margin:0 0 .25rem;font-size:1.1rem}#verdict p{margin:0}
#verdict.ok{background:#dcfce7;color:#14532d;border-color:#15803d}
#verdict.warn{background:#fef3c7;color:#713f12;border-color:#b45309}
#verdict.err{background:#fee2e2;color:#7f1d1d;border-color:#b91c1c}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

/** The page's behaviour. Constant (campaign data travels in data attributes), so its hash can be pinned in the CSP. */
const SCRIPT = `
const missingFromCaption = ${missingFromCaption.toString()};
const form = document.getElementById('submit-form');
const out = document.getElementById('verdict');
const postUrl = document.getElementById('postUrl');
const postUrlError = document.getElementById('postUrl-error');
const caption = document.getElementById('caption');
const button = form.querySelector('button');
const hashtags = JSON.parse(form.dataset.hashtags);
const mentions = JSON.parse(form.dataset.mentions);

function checklist() {
  const missing = new Set(missingFromCaption(caption.value, hashtags, mentions));
  for (const li of document.querySelectorAll('#requirements li[data-tag]')) {
    const ok = !missing.has(li.dataset.tag);
    li.classList.toggle('ok', ok);
    li.querySelector('.mark').textContent = ok ? '✓' : '';
    li.querySelector('.state').textContent = ok ? ' (in your caption)' : ' (not in your caption yet)';
  }
  return [...missing];
}
function verdict(kind, title, text) {
  out.hidden = false;
  out.className = kind;
  out.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = title;
  const p = document.createElement('p');
  p.textContent = text;
  out.append(h, p);
  out.scrollIntoView({ block: 'nearest' });
}
function urlProblem(message) {
  postUrlError.textContent = message || '';
  postUrlError.hidden = !message;
  postUrl.setAttribute('aria-invalid', message ? 'true' : 'false');
}
caption.addEventListener('input', checklist);
postUrl.addEventListener('input', () => urlProblem(''));
checklist();

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const url = postUrl.value.trim();
  if (!url) {
    urlProblem('Paste the link to your Instagram post or reel.');
    postUrl.focus();
    return;
  }
  const missing = checklist();
  button.disabled = true;
  button.textContent = 'Submitting…';
  try {
    const res = await fetch('/v1/submissions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: form.dataset.token, postUrl: url, caption: caption.value }),
    });
    const body = await res.json().catch(() => ({}));
    const said = (body.error && body.error.message) || '';
    if (res.status === 202 && missing.length === 0) {
      verdict('ok', 'Thank you! Your post is in.', 'It has everything the campaign asks for. You can close this page.');
    } else if (res.status === 202) {
      verdict('warn', 'Received, but it will not count yet', 'The caption is missing ' + missing.join(', ') + '. Add it to the post\\'s caption on Instagram, then submit again here.');
    } else if (res.status === 400 && /postUrl/.test(said)) {
      urlProblem('This is not a link to an Instagram post or reel. Open the post on Instagram, tap Share, then Copy link, and paste it here.');
      postUrl.focus();
    } else if (res.status === 401 || res.status === 404) {
      verdict('err', 'This link no longer works', 'Ask the brand for a new submission link.');
    } else if (res.status === 429) {
      verdict('err', 'Too many tries', 'Please wait a minute, then submit again.');
    } else {
      verdict('err', 'Something went wrong', (said || 'The server answered ' + res.status + '.') + ' Please try again.');
    }
  } catch (err) {
    verdict('err', 'Could not reach Seedline', 'Check your connection and try again.');
  } finally {
    button.disabled = false;
    button.textContent = 'Submit post';
  }
});
`;

/** Only this page's own script and style may run: no 'unsafe-inline'. */
export const SUBMIT_FORM_CSP = [
  "default-src 'none'",
  `script-src ${sha256Source(SCRIPT)}`,
  `style-src ${sha256Source(STYLE)}`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = (title: string, body: string) => htmlPage(title, STYLE, body);

/** A small, dependency-free, accessible page: works with a keyboard and a screen reader, and on a phone. */
export function renderSubmitForm(model: SubmitFormModel | null): string {
  if (!model) {
    return page(
      'Link not found',
      '<h1>Link not found</h1><p>This submission link is not valid. Check that it was copied in full, or ask the brand for a new one.</p>',
    );
  }
  const { hashtags, mentions } = model.requirements;
  const items = [
    ...hashtags.map((h) => ({ tag: `#${h}`, kind: 'the hashtag' })),
    ...mentions.map((m) => ({ tag: `@${m}`, kind: 'a mention of' })),
  ];
  const requirements = items.length
    ? `<p id="requirements-intro">Your caption must include:</p><ul class="checklist" id="requirements" aria-describedby="requirements-intro">${items
        .map(
          (i) =>
            `<li data-tag="${esc(i.tag)}"><span class="mark" aria-hidden="true"></span><span>${i.kind} <span class="tag">${esc(i.tag)}</span><span class="state visually-hidden"></span></span></li>`,
        )
        .join(
          '',
        )}</ul><p class="hint">Capital letters do not matter (#Ad counts as #ad); a longer tag such as #adventure does not count as #ad.</p>`
    : '<p id="requirements">This campaign has no required hashtags or mentions: any post counts.</p>';
  return page(
    `Submit your post · ${model.campaignName}`,
    `<h1>Submit your Instagram post</h1><p class="campaign">for <strong>${esc(model.campaignName)}</strong></p>
<section class="card" aria-labelledby="req-title"><h2 id="req-title">What the campaign requires</h2>${requirements}</section>
<form id="submit-form" novalidate data-token="${esc(model.token)}" data-hashtags="${esc(JSON.stringify(hashtags))}" data-mentions="${esc(JSON.stringify(mentions))}">
<label for="postUrl">Link to your Instagram post or reel</label>
<input id="postUrl" name="postUrl" type="url" required inputmode="url" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="https://www.instagram.com/p/…/" aria-describedby="postUrl-hint postUrl-error">
<p class="hint" id="postUrl-hint">On Instagram: open the post, tap Share, then Copy link. For example https://www.instagram.com/p/ABC123/</p>
<p class="field-error" id="postUrl-error" hidden></p>
<label for="caption">Caption of the post</label>
<textarea id="caption" name="caption" maxlength="2200" aria-describedby="caption-hint"></textarea>
<p class="hint" id="caption-hint">Paste the caption exactly as posted; the list above ticks off each requirement it contains.</p>
<button type="submit">Submit post</button>
</form>
<div id="verdict" role="status" aria-live="polite" hidden></div>
<script>${SCRIPT}</script>`,
  );
}
