import { describe, expect, it } from 'vitest';
import { reminderSettingsRequest } from '../requests/reminders.schema.js';
import { reminderSettings } from './settings.js';
import {
  DEFAULT_TEMPLATES,
  PLACEHOLDERS,
  renderReminder,
  renderTemplate,
  templateProblem,
  unknownPlaceholders,
  type PlaceholderValues,
} from './templates.js';

const values: PlaceholderValues = {
  handle: 'ava.styles',
  campaignName: 'Spring <Glow> & "Co"',
  brandName: "O'Brien & Sons",
  link: 'https://go.example/l/abc?x=1&y=2',
  submitLink: 'https://go.example/s/def',
  unsubscribeLink: 'https://go.example/u/ghi',
};

describe('reminder templates', () => {
  it('finds unknown placeholders, spaces inside the braces allowed, each once', () => {
    expect(unknownPlaceholders('Hi {{ handle }}, {{firstName}} {{firstName}} {{ link}} {{Brand}}')).toEqual([
      'firstName',
      'Brand',
    ]);
    expect(unknownPlaceholders(PLACEHOLDERS.map((p) => `{{${p}}}`).join(' '))).toEqual([]);
  });

  it('names what is wrong with a template part', () => {
    expect(templateProblem('subject', 'Hi {{nme}}')).toMatch(/^unknown placeholder \{\{nme\}\}; known: \{\{handle\}\}/);
    expect(templateProblem('subject', 'Hi\nthere')).toBe('must be a single line');
    expect(templateProblem('text', 'no link here {{handle}}')).toBe('must contain {{link}} and {{unsubscribeLink}}');
    expect(templateProblem('html', '<a href="{{link}}">go</a>')).toBe('must contain {{unsubscribeLink}}');
    expect(templateProblem('html', '<a href="{{link}}">go</a> <a href="{{unsubscribeLink}}">stop</a>')).toBeNull();
  });

  it('escapes every value in HTML, none in text, and keeps a subject on one line', () => {
    expect(renderTemplate('html', '<p>{{campaignName}} by {{brandName}}</p><a href="{{link}}">x</a>', values)).toBe(
      '<p>Spring &lt;Glow&gt; &amp; &quot;Co&quot; by O&#39;Brien &amp; Sons</p><a href="https://go.example/l/abc?x=1&amp;y=2">x</a>',
    );
    expect(renderTemplate('text', '{{campaignName}} {{link}}', values)).toBe(
      'Spring <Glow> & "Co" https://go.example/l/abc?x=1&y=2',
    );
    expect(renderTemplate('subject', 'Hi @{{handle}}', { ...values, handle: 'a\r\nBcc: x@evil.example' })).toBe(
      'Hi @a Bcc: x@evil.example',
    );
  });

  it('has defaults that pass their own checks and carry the personal links', () => {
    for (const stage of ['purchase', 'review'] as const) {
      const t = DEFAULT_TEMPLATES[stage];
      for (const part of ['subject', 'text', 'html'] as const)
        expect(templateProblem(part, t[part]), `${stage}.${part}`).toBeNull();
      const out = renderReminder(t, values);
      expect(out.text).toContain(values.link);
      expect(out.text).toContain(values.unsubscribeLink);
      expect(out.html).toContain('href="https://go.example/l/abc?x=1&amp;y=2"');
      expect(out.html).not.toContain('{{');
      expect(out.subject).toContain('@ava.styles');
    }
  });

  it('rejects unknown placeholders with a 400-ready issue naming the field and the names', () => {
    const res = reminderSettingsRequest.safeParse({ templates: { review: { subject: 'Hey {{name}} from {{shop}}' } } });
    expect(res.success).toBe(false);
    const issue = res.error?.issues[0];
    expect(issue?.path).toEqual(['templates', 'review', 'subject']);
    expect(issue?.message).toMatch(/unknown placeholders \{\{name\}\}, \{\{shop\}\}/);
  });

  it('accepts channels, replyTo and partial templates; refuses a repeated channel and a display name as replyTo', () => {
    const ok = reminderSettingsRequest.parse({
      channels: ['webhook', 'email'],
      replyTo: 'team@brand.example',
      templates: { purchase: { subject: 'Hi {{handle}}' } },
    });
    expect(ok.channels).toEqual(['webhook', 'email']);
    expect(reminderSettingsRequest.safeParse({ channels: ['email', 'email'] }).success).toBe(false);
    expect(reminderSettingsRequest.safeParse({ channels: [] }).success).toBe(false);
    expect(reminderSettingsRequest.safeParse({ channels: ['sms'] }).success).toBe(false);
    expect(reminderSettingsRequest.safeParse({ replyTo: 'Team <team@brand.example>' }).success).toBe(false);
    expect(reminderSettingsRequest.parse({ templates: { review: null }, replyTo: null })).toEqual({
      templates: { review: null },
      replyTo: null,
    });
  });

  it('fills what a campaign did not set with the defaults, part by part', () => {
    const s = reminderSettings({
      purchase: { firstAfterSeconds: 1, everySeconds: 2, max: 3 },
      review: { firstAfterSeconds: 4, everySeconds: 5, max: 6 },
      templates: { purchase: { subject: 'Custom {{handle}}' } },
    });
    expect(s.channels).toEqual(['email']);
    expect(s.replyTo).toBeNull();
    expect(s.templates.purchase).toEqual({ ...DEFAULT_TEMPLATES.purchase, subject: 'Custom {{handle}}' });
    expect(s.templates.review).toEqual(DEFAULT_TEMPLATES.review);
  });
});
