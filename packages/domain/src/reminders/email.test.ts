import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from '../links/unsubscribe-token.js';
import { signLinkToken, verifyLinkToken } from '../links/token.js';
import { composeReminderEmail, parseMailbox } from './email.js';
import { DEFAULT_TEMPLATES } from './templates.js';

const campaignId = '0123456789abcdef01234567';
const influencerId = 'fedcba9876543210fedcba98';
const secret = 'test-secret-0123456789';

describe('reminder email', () => {
  const input = {
    reminderId: `${influencerId}-purchase-2`,
    stage: 'purchase' as const,
    from: 'Glow Co <reminders@Glow.Example>',
    to: 'ava@example.com',
    replyTo: 'team@glow.example',
    template: DEFAULT_TEMPLATES.purchase,
    values: {
      handle: 'ava',
      campaignName: 'Spring',
      brandName: 'Glow',
      link: 'https://go.example/l/p',
      submitLink: 'https://go.example/s/s',
      unsubscribeLink: 'https://go.example/u/u',
    },
  };

  it('derives the Message-ID from the reminder id and the sender domain: the same on every retry', () => {
    const a = composeReminderEmail(input);
    expect(a.messageId).toBe(`<reminder.${influencerId}-purchase-2@glow.example>`);
    expect(composeReminderEmail(input).messageId).toBe(a.messageId);
    expect(composeReminderEmail({ ...input, reminderId: `${influencerId}-purchase-3` }).messageId).not.toBe(
      a.messageId,
    );
  });

  it('offers one-click unsubscribe (RFC 8058) and a text part beside the HTML', () => {
    const e = composeReminderEmail(input);
    expect(e.headers).toMatchObject({
      'List-Unsubscribe': '<https://go.example/u/u>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(e.text).toContain('https://go.example/l/p');
    expect(e.html).toContain('href="https://go.example/l/p"');
    expect(e.replyTo).toBe('team@glow.example');
  });

  it('parses a sender with or without a display name, and nothing else', () => {
    expect(parseMailbox('a@b.example')).toEqual({ name: null, address: 'a@b.example' });
    expect(parseMailbox('"Glow Co" <a@b.example>')).toEqual({ name: 'Glow Co', address: 'a@b.example' });
    for (const bad of [
      '',
      'nobody',
      'a@b',
      'Name <a@b.example',
      'a@b.example, c@d.example',
      'x <a@b.example>\r\nBcc: c@d.example',
    ]) {
      expect(parseMailbox(bad), bad).toBeNull();
    }
    expect(() => composeReminderEmail({ ...input, from: 'nobody' })).toThrow(TypeError);
  });
});

describe('unsubscribe tokens', () => {
  it('round-trip, and are never taken for a link token (nor the reverse)', () => {
    const token = signUnsubscribeToken({ campaignId, influencerId }, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]{59}$/);
    expect(verifyUnsubscribeToken(token, secret)).toEqual({ campaignId, influencerId });
    expect(verifyLinkToken(token, secret)).toBeNull();
    expect(
      verifyUnsubscribeToken(signLinkToken({ kind: 'purchase', campaignId, influencerId }, secret), secret),
    ).toBeNull();
    expect(unsubscribeUrl('https://go.example/', { campaignId, influencerId }, secret)).toBe(
      `https://go.example/u/${token}`,
    );
  });

  it('reject another secret, truncation and every single-character change', () => {
    const token = signUnsubscribeToken({ campaignId, influencerId }, secret);
    expect(verifyUnsubscribeToken(token, 'another-secret-0123456789')).toBeNull();
    expect(verifyUnsubscribeToken(token.slice(0, -1), secret)).toBeNull();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const other = alphabet[(alphabet.indexOf(token[i] as string) + 1) % alphabet.length] as string;
      expect(verifyUnsubscribeToken(token.slice(0, i) + other + token.slice(i + 1), secret)).toBeNull();
    }
  });
});
