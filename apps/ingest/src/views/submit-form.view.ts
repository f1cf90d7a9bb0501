import { currencyMinorDigits, formatMoney } from '@seedline/domain';
import { htmlPage, sha256Source } from './html-page.js';
import { SCRIPT } from './submit-form.script.js';
import { STYLE } from './submit-form.style.js';

export { missingFromCaption } from './caption-check.js';

export interface SubmitFormModel {
  token: string;
  campaignName: string;
  requirements: { hashtags: string[]; mentions: string[] };
  /** the campaign reimburses purchases: the page asks for the proof of purchase too */
  reimbursement: { currency: string } | null;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

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

/** One input with its hint and its own error line (the script fills the error from the server's answer). */
const field = (id: string, label: string, attrs: string, hint: string) =>
  `<label for="${id}">${label}</label>
<input id="${id}" name="${id}" ${attrs} autocomplete="off" aria-describedby="${id}-hint ${id}-error">
<p class="hint" id="${id}-hint">${hint}</p>
<p class="field-error" id="${id}-error" hidden></p>`;

/** The proof of purchase a reimbursing campaign asks for: now with the post, or later through the same link. */
function proofFields(currency: string): string {
  // An amount written as this currency is (24.99 USD, 25 JPY, 24.990 KWD): the server refuses other digits.
  const example = formatMoney(Math.round(24.99 * 10 ** currencyMinorDigits(currency)), currency);
  return `<fieldset class="card" id="proof" data-currency="${esc(currency)}"><legend>Get reimbursed</legend>
<p class="hint">Send your Amazon order number, what you paid and your PayPal email, with your post or later through this same link.</p>
${field('orderId', 'Amazon order number', 'inputmode="numeric" maxlength="19" placeholder="123-1234567-1234567"', 'In Your Orders on Amazon: 3, 7 and 7 digits, such as 114-3941689-8772232.')}
${field('amountPaid', `Amount you paid (${esc(currency)})`, `inputmode="decimal" maxlength="12" placeholder="${example}"`, `The order total for the product, such as ${example}.`)}
${field('payoutEmail', 'PayPal email for the reimbursement', 'type="email" maxlength="254" autocapitalize="off" spellcheck="false"', 'We send the reimbursement to this PayPal account; only the brand sees it.')}
</fieldset>`;
}

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
${model.reimbursement ? proofFields(model.reimbursement.currency) : ''}
<button type="submit">Submit</button>
</form>
<div id="verdict" role="status" aria-live="polite" hidden></div>
<script>${SCRIPT}</script>`,
  );
}
