/**
 * Mail servers' replies often quote the recipient ("550 5.1.1 <ana@example.com>: no such user"); those
 * replies go into logs and timelines, which must not hold personal addresses. Every email address in `text`
 * becomes `<redacted>`, keeping the rest of the reply. A single linear scan (no regex over the input): each
 * '@' grows left over local-part characters and right over domain characters, and the scan resumes after it.
 */
const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]$/;
const DOMAIN = /^[A-Za-z0-9.-]$/;

/** The longest text redacted: a mail server's reply is short, and past this the rest is dropped. */
const MAX_LENGTH = 2_000;

export function redactEmails(input: string): string {
  const text = input.length > MAX_LENGTH ? `${input.slice(0, MAX_LENGTH)}…` : input;
  let out = '';
  let copied = 0;
  let i = text.indexOf('@');
  while (i >= 0) {
    let start = i;
    while (start > copied && LOCAL.test(text.charAt(start - 1))) start--;
    let end = i + 1;
    while (end < text.length && DOMAIN.test(text.charAt(end))) end++;
    // A domain ends at its last label, not at a trailing dot ("… <ana@example.com>." or "ana@example.com.").
    while (end > i + 1 && text.charAt(end - 1) === '.') end--;
    if (start < i && text.slice(i + 1, end).includes('.')) {
      out += `${text.slice(copied, start)}<redacted>`;
      copied = end;
    }
    i = text.indexOf('@', Math.max(end, i + 1));
  }
  return out + text.slice(copied);
}
