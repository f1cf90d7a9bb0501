import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, request, TEST_SECRETS, type Stack } from '@seedline/testkit';

const campaignBody = { name: 'Spring <Glow>', productUrl: 'https://example.com/p', reviewUrl: 'https://example.com/r' };

/** Reminder settings through the campaign API, and the rendered preview, over a real api process. */
describe('reminder templates and preview', () => {
  let stack: Stack;
  let key = '';
  let otherKey = '';
  const api = (path: string, init: Parameters<typeof request>[1] = {}) =>
    request(`${stack.apiUrl}${path}`, { token: key, ...init });

  beforeAll(async () => {
    stack = await createStack('remtpl', { REMINDER_FROM: 'Glow Co <hello@glow.example>' }, ['api']);
    const brand = async (name: string) =>
      (await request(`${stack.apiUrl}/v1/brands`, { method: 'POST', token: TEST_SECRETS.ADMIN_TOKEN, json: { name } }))
        .body.apiKey as string;
    [key, otherKey] = await Promise.all([brand('Glow & <Co>'), brand('Someone else')]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('defaults to email, default templates and no Reply-To; takes channels, Reply-To and template parts', async () => {
    const created = await api('/v1/campaigns', { method: 'POST', json: campaignBody });
    expect(created.status).toBe(201);
    const { reminders } = created.body;
    expect(reminders).toMatchObject({ channels: ['email'], replyTo: null });
    expect(reminders.templates.purchase.subject).toBe('Your {{campaignName}} link is waiting, @{{handle}}');

    const id = created.body.id as string;
    const subject = 'Still waiting, {{ handle }}?';
    const patched = await api(`/v1/campaigns/${id}`, {
      method: 'PATCH',
      json: {
        reminders: {
          channels: ['email', 'webhook'],
          replyTo: 'team@glow.example',
          templates: { purchase: { subject } },
        },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.reminders).toMatchObject({ channels: ['email', 'webhook'], replyTo: 'team@glow.example' });
    expect(patched.body.reminders.templates.purchase).toMatchObject({
      subject,
      text: reminders.templates.purchase.text,
    });
    expect((await api(`/v1/campaigns/${id}`)).body.reminders.templates.purchase.subject).toBe(subject);

    const reset = await api(`/v1/campaigns/${id}`, {
      method: 'PATCH',
      json: { reminders: { templates: { purchase: null }, replyTo: null } },
    });
    expect(reset.body.reminders).toMatchObject({
      channels: ['email', 'webhook'],
      replyTo: null,
      templates: reminders.templates,
    });
  });

  it('refuses unknown placeholders and bodies without the link or the unsubscribe link, naming field and placeholders', async () => {
    const unknown = await api('/v1/campaigns', {
      method: 'POST',
      json: { ...campaignBody, reminders: { templates: { purchase: { subject: 'Hi {{firstName}} from {{shop}}' } } } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      {
        path: 'body.reminders.templates.purchase.subject',
        message: expect.stringMatching(
          /^unknown placeholders \{\{firstName\}\}, \{\{shop\}\}; known: \{\{handle\}\}, /,
        ),
      },
    ]);
    const id = (await api('/v1/campaigns', { method: 'POST', json: campaignBody })).body.id as string;
    const noWayOut = await api(`/v1/campaigns/${id}`, {
      method: 'PATCH',
      json: { reminders: { templates: { review: { html: '<a href="{{link}}">Review</a>' } } } },
    });
    expect(noWayOut.status).toBe(400);
    expect(noWayOut.body.error.details).toEqual([
      { path: 'body.reminders.templates.review.html', message: 'must contain {{unsubscribeLink}}' },
    ]);
    const badChannel = await api(`/v1/campaigns/${id}`, {
      method: 'PATCH',
      json: { reminders: { channels: ['sms'] } },
    });
    expect(badChannel.body.error.details[0].path).toBe('body.reminders.channels.0');
  });

  it('previews a stage for a sample influencer, escaped, with the headers it is sent with', async () => {
    const created = await api('/v1/campaigns', {
      method: 'POST',
      json: { ...campaignBody, reminders: { replyTo: 'team@glow.example' } },
    });
    const id = created.body.id as string;
    const preview = await api(`/v1/campaigns/${id}/reminders/preview?stage=review`);
    expect(preview.status).toBe(200);
    const p = preview.body;
    expect(p).toMatchObject({
      stage: 'review',
      channels: ['email'],
      sample: { instagramHandle: 'sample.creator', email: 'sample.creator@example.com' },
      from: 'Glow Co <hello@glow.example>',
      to: 'sample.creator@example.com',
      replyTo: 'team@glow.example',
      subject: 'How do you like it, @sample.creator? Leave a review for Spring <Glow>',
      headers: {
        'Message-ID': '<reminder.preview-review-1@glow.example>',
        'List-Unsubscribe': `<${stack.ingestUrl}/u/sample-unsubscribe-link>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
    expect(p.text).toContain(`${stack.ingestUrl}/l/sample-review-link`);
    expect(p.html).toContain('Spring &lt;Glow&gt;');
    expect(p.html).toContain('Glow &amp; &lt;Co&gt;');
    expect(p.html).not.toContain('<Glow>');

    expect((await api(`/v1/campaigns/${id}/reminders/preview`)).body.stage).toBe('purchase');
    const bad = await api(`/v1/campaigns/${id}/reminders/preview?stage=shipping`);
    expect([bad.status, bad.body.error.details[0].path]).toEqual([400, 'query.stage']);
    expect((await api(`/v1/campaigns/${id}/reminders/preview`, { token: otherKey })).status).toBe(404);
  });
});
