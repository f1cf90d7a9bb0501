import type { ReminderStage } from './schedule.js';

/** What a reminder email is made of, per stage. */
export interface ReminderTemplate {
  subject: string;
  text: string;
  html: string;
}
export type TemplatePart = keyof ReminderTemplate;

/**
 * The placeholders a template may use, as `{{name}}` (spaces inside the braces allowed). `link` is the
 * influencer's own tracked link for the reminder's stage: the purchase link, or the review link.
 */
export const PLACEHOLDERS = ['handle', 'campaignName', 'brandName', 'link', 'submitLink', 'unsubscribeLink'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

/** Every body must carry these: the reminder's point, and a visible way out (not only the header). */
export const REQUIRED_IN_BODY: readonly Placeholder[] = ['link', 'unsubscribeLink'];

const KNOWN = new Set<string>(PLACEHOLDERS);

interface PlaceholderAt {
  start: number;
  end: number;
  /** what stands between the braces, spaces around it dropped */
  name: string;
}

/**
 * Every `{{name}}` of a template, left to right: `{{`, then no brace, then `}}`. A scan rather than a regex,
 * so its cost is linear in the template whatever it holds (a regex with spaces matched on both sides of a lazy
 * name took cubic time on `{{` followed by spaces).
 */
function* placeholdersIn(template: string): Generator<PlaceholderAt> {
  let i = template.indexOf('{{');
  while (i >= 0) {
    let j = i + 2;
    while (j < template.length && template[j] !== '{' && template[j] !== '}') j++;
    if (template[j] === '}' && template[j + 1] === '}') {
      yield { start: i, end: j + 2, name: template.slice(i + 2, j).trim() };
      i = template.indexOf('{{', j + 2);
    } else {
      // The next candidate can only start at the brace that ended this one (or the one before it, in `{{{`).
      i = j >= template.length ? -1 : template.indexOf('{{', Math.max(i + 1, j - 1));
    }
  }
}

/** Names used in `{{…}}` that are not placeholders, each once, in order of appearance. */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const p of placeholdersIn(template)) if (!KNOWN.has(p.name)) unknown.add(p.name);
  return [...unknown];
}

export function usedPlaceholders(template: string): Set<string> {
  return new Set(Array.from(placeholdersIn(template), (p) => p.name));
}

/** Whatever a template problem is, said in one line naming the placeholders (empty when there is none). */
export function templateProblem(part: TemplatePart, template: string): string | null {
  const unknown = unknownPlaceholders(template);
  if (unknown.length) {
    const names = unknown.map((n) => `{{${n}}}`).join(', ');
    return `unknown placeholder${unknown.length > 1 ? 's' : ''} ${names}; known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`;
  }
  if (part === 'subject' && /[\r\n]/.test(template)) return 'must be a single line';
  if (part !== 'subject') {
    const used = usedPlaceholders(template);
    const missing = REQUIRED_IN_BODY.filter((p) => !used.has(p));
    if (missing.length) return `must contain ${missing.map((p) => `{{${p}}}`).join(' and ')}`;
  }
  return null;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * Fills a template. In HTML every value is escaped (a handle or a brand name can hold `<`, `&` or quotes, and
 * links sit inside attributes); in a subject line breaks are dropped, so a value can never start a new header.
 */
export function renderTemplate(part: TemplatePart, template: string, values: PlaceholderValues): string {
  const encode =
    part === 'html' ? escapeHtml : part === 'subject' ? (s: string) => s.replace(/[\r\n]+/g, ' ') : (s: string) => s;
  let out = '';
  let from = 0;
  for (const p of placeholdersIn(template)) {
    if (!KNOWN.has(p.name)) continue;
    out += template.slice(from, p.start) + encode(values[p.name as Placeholder]);
    from = p.end;
  }
  return out + template.slice(from);
}

export function renderReminder(template: ReminderTemplate, values: PlaceholderValues): ReminderTemplate {
  return {
    subject: renderTemplate('subject', template.subject, values).trim(),
    text: renderTemplate('text', template.text, values),
    html: renderTemplate('html', template.html, values),
  };
}

const button = (label: string) =>
  `<p style="margin:24px 0"><a href="{{link}}" style="background:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:6px;display:inline-block">${label}</a></p>`;

const layout = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="margin:0;padding:0;background:#f4f6f8">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#161b22">
<div style="background:#ffffff;border:1px solid #d5dae1;border-radius:10px;padding:24px">
${body}
</div>
<p style="font-size:13px;color:#4b5563;margin:16px 4px">You get this because you joined {{campaignName}} by {{brandName}}. <a href="{{unsubscribeLink}}" style="color:#4b5563">Unsubscribe from these reminders</a>.</p>
</div>
</body></html>`;

const TEXT_SIGNATURE = [
  'Thanks,',
  '{{brandName}}',
  '',
  '--',
  'You get this because you joined {{campaignName}}. Unsubscribe from these reminders: {{unsubscribeLink}}',
  '',
];

/** Plain, personal and short: one clear link, the way out stated in words too. */
export const DEFAULT_TEMPLATES: Record<ReminderStage, ReminderTemplate> = {
  purchase: {
    subject: 'Your {{campaignName}} link is waiting, @{{handle}}',
    text: [
      'Hi @{{handle}},',
      '',
      'Thanks for joining {{campaignName}} by {{brandName}}! Your product is still waiting for you. Get it through your personal link:',
      '',
      '{{link}}',
      '',
      'Once your post is live, send it to us here: {{submitLink}}',
      '',
      ...TEXT_SIGNATURE,
    ].join('\n'),
    html: layout(
      `<p style="margin:0 0 16px">Hi @{{handle}},</p>
<p style="margin:0 0 16px">Thanks for joining <strong>{{campaignName}}</strong> by {{brandName}}! Your product is still waiting for you.</p>
${button('Get your product')}
<p style="margin:0 0 16px">Once your post is live, <a href="{{submitLink}}" style="color:#1d4ed8">send it to us here</a>.</p>
<p style="margin:0">Thanks,<br>{{brandName}}</p>`,
    ),
  },
  review: {
    subject: 'How do you like it, @{{handle}}? Leave a review for {{campaignName}}',
    text: [
      'Hi @{{handle}},',
      '',
      'Thank you for your post for {{campaignName}}! One last step: tell other shoppers what you think. Leave your review here:',
      '',
      '{{link}}',
      '',
      ...TEXT_SIGNATURE,
    ].join('\n'),
    html: layout(
      `<p style="margin:0 0 16px">Hi @{{handle}},</p>
<p style="margin:0 0 16px">Thank you for your post for <strong>{{campaignName}}</strong>! One last step: tell other shoppers what you think.</p>
${button('Leave your review')}
<p style="margin:0">Thanks,<br>{{brandName}}</p>`,
    ),
  },
};
