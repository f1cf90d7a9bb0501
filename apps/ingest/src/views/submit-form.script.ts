import { missingFromCaption } from './caption-check.js';

/** The page's behaviour. Constant (campaign data travels in data attributes), so its hash can be pinned in the CSP. */
export const SCRIPT = `
const missingFromCaption = ${missingFromCaption.toString()};
const form = document.getElementById('submit-form');
const out = document.getElementById('verdict');
const postUrl = document.getElementById('postUrl');
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
function fieldProblem(id, message) {
  const input = document.getElementById(id);
  const error = document.getElementById(id + '-error');
  if (!input || !error) return false;
  error.textContent = message || '';
  error.hidden = !message;
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
  if (message) input.focus();
  return true;
}
const urlProblem = (message) => fieldProblem('postUrl', message);
const proofIds = ['orderId', 'amountPaid', 'payoutEmail'].filter((id) => document.getElementById(id));
const value = (id) => document.getElementById(id).value.trim();
const LABELS = { postUrl: 'the link to your post', orderId: 'your order number', amountPaid: 'the amount you paid', payoutEmail: 'your PayPal email' };
for (const id of ['postUrl', ...proofIds]) document.getElementById(id).addEventListener('input', () => fieldProblem(id, ''));
caption.addEventListener('input', checklist);
checklist();

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const url = value('postUrl');
  const proofGiven = proofIds.filter((id) => value(id) !== '');
  if (!url && proofGiven.length === 0) {
    urlProblem('Paste the link to your Instagram post or reel' + (proofIds.length ? ', or fill in your proof of purchase.' : '.'));
    return;
  }
  const proofMissing = proofGiven.length ? proofIds.filter((id) => value(id) === '') : [];
  if (proofMissing.length) {
    fieldProblem(proofMissing[0], 'Fill this in too: the order number, the amount and the PayPal email go together.');
    return;
  }
  const missing = url ? checklist() : [];
  const body = { token: form.dataset.token };
  if (url) Object.assign(body, { postUrl: url, caption: caption.value });
  for (const id of proofGiven) body[id] = value(id);
  button.disabled = true;
  button.textContent = 'Submitting…';
  try {
    const res = await fetch('/v1/submissions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({}));
    const said = (answer.error && answer.error.message) || '';
    const path = (answer.error && answer.error.details && answer.error.details[0] && answer.error.details[0].path) || '';
    const badField = path.startsWith('body.') ? path.slice(5) : '';
    const still = (answer.missing || []).map((f) => LABELS[f] || f);
    const later = still.length ? ' Still to send through this link: ' + still.join(', ') + '.' : '';
    if (res.status === 202 && missing.length === 0) {
      verdict('ok', 'Thank you! We have it.', (url ? 'Your post has everything the campaign asks for.' : 'Your proof of purchase is in.') + later);
    } else if (res.status === 202) {
      verdict('warn', 'Received, but it will not count yet', 'The caption is missing ' + missing.join(', ') + '. Add it to the post\\'s caption on Instagram, then submit again here.' + later);
    } else if (res.status === 400 && badField === 'postUrl') {
      urlProblem('This is not a link to an Instagram post or reel. Open the post on Instagram, tap Share, then Copy link, and paste it here.');
    } else if (res.status === 400 && fieldProblem(badField, said.slice(said.indexOf(':') + 1).trim() || said)) {
      verdict('err', 'Please check the highlighted field', said);
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
    button.textContent = 'Submit';
  }
});
`;
