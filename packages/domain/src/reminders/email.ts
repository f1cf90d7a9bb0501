import type { ReminderStage } from './schedule.js';
import { renderReminder, type PlaceholderValues, type ReminderTemplate } from './templates.js';

export const DEFAULT_REMINDER_FROM = 'Seedline reminders <reminders@seedline.localhost>';

const ADDRESS =
  /^[^\s@<>"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * `Name <address>` split at its last `<`, or null when the text does not end in one `<…>` (scanned, not
 * matched by a regex whose lazy name and spaces would backtrack over each other).
 */
function splitAngled(s: string): { name: string; address: string } | null {
  const open = s.lastIndexOf('<');
  if (!s.endsWith('>') || open < 0 || s.indexOf('>', open) !== s.length - 1 || open + 2 >= s.length) return null;
  const name = s.slice(0, open);
  return /[\r\n]/.test(name) ? null : { name, address: s.slice(open + 1, -1) };
}

/** `a@b.example` or `Display Name <a@b.example>`; null when it is neither. */
export function parseMailbox(value: string): { name: string | null; address: string } | null {
  const s = value.trim();
  const angled = splitAngled(s);
  const name = angled ? angled.name.trim().replace(/^"(.*)"$/, '$1') || null : null;
  const address = (angled ? angled.address : s).trim();
  if (!ADDRESS.test(address) || (name !== null && /[\r\n<>]/.test(name))) return null;
  return { name, address };
}

export interface ReminderEmailInput {
  reminderId: string;
  stage: ReminderStage;
  /** REMINDER_FROM */
  from: string;
  to: string;
  replyTo: string | null;
  template: ReminderTemplate;
  values: PlaceholderValues;
}

export interface ReminderEmail {
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  /** with its angle brackets */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * A reminder email as a well-behaved sender writes it: a Message-ID derived from the reminder id (the same on
 * every retry, so a repeat is recognisable as one), a one-click unsubscribe (RFC 8058: an https URL in
 * List-Unsubscribe plus List-Unsubscribe-Post), and a plain-text part beside the HTML.
 */
export function composeReminderEmail(input: ReminderEmailInput): ReminderEmail {
  const from = parseMailbox(input.from);
  if (!from) throw new TypeError('from must be an email address, optionally with a display name');
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1).toLowerCase();
  const rendered = renderReminder(input.template, input.values);
  return {
    from: input.from,
    to: input.to,
    replyTo: input.replyTo,
    ...rendered,
    messageId: `<reminder.${input.reminderId}@${domain}>`,
    headers: {
      'List-Unsubscribe': `<${input.values.unsubscribeLink}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Seedline-Reminder-Id': input.reminderId,
    },
  };
}
