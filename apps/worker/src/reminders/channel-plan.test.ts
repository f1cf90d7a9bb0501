import { describe, expect, it } from 'vitest';
import { reminderSettings } from '@seedline/domain';
import { planChannels } from './channel-plan.js';
import type { ReminderChannel, ReminderDelivery } from './channels/channel.js';
import { classifySmtpError } from './channels/email.channel.js';

const channel = (name: 'email' | 'webhook', reach: (d: ReminderDelivery) => string | null): ReminderChannel => ({
  name,
  cannotReach: reach,
  deliver: () => Promise.resolve('ok'),
  close: () => Promise.resolve(),
});
const email = channel('email', (d) => (d.influencer.email ? null : 'no email address'));
const hook = channel('webhook', () => null);
const noHook = channel('webhook', () => 'REMINDER_WEBHOOK_URL is not set');

const delivery = (address: string | null): ReminderDelivery => ({
  reminderId: 'r',
  stage: 'purchase',
  number: 1,
  campaign: { id: 'c', name: 'C', brandName: 'B', settings: reminderSettings(null) },
  influencer: { id: 'i', instagramHandle: 'h', email: address },
  links: { purchase: 'p', review: 'r', submit: 's' },
  unsubscribeUrl: 'u',
});
const names = (p: { targets: ReminderChannel[] }) => p.targets.map((t) => t.name);

describe('planChannels', () => {
  it('sends by the channels the campaign names that can reach the influencer', () => {
    expect(names(planChannels(['email'], { email, webhook: hook }, delivery('a@b.example')))).toEqual(['email']);
    expect(names(planChannels(['webhook'], { email, webhook: hook }, delivery('a@b.example')))).toEqual(['webhook']);
    expect(names(planChannels(['email', 'webhook'], { email, webhook: hook }, delivery('a@b.example')))).toEqual([
      'email',
      'webhook',
    ]);
  });

  it('falls back to the webhook for an influencer without an email address, when one is configured', () => {
    const plan = planChannels(['email'], { email, webhook: hook }, delivery(null));
    expect(names(plan)).toEqual(['webhook']);
    expect(plan.skipped).toEqual([{ channel: 'email', reason: 'no email address (sent by webhook instead)' }]);
    expect(names(planChannels(['email', 'webhook'], { email, webhook: hook }, delivery(null)))).toEqual(['webhook']);
  });

  it('skips with the reason when nothing can reach the influencer', () => {
    const plan = planChannels(['email'], { email, webhook: noHook }, delivery(null));
    expect(plan.targets).toEqual([]);
    expect(plan.skipped).toEqual([{ channel: 'email', reason: 'no email address' }]);
    expect(planChannels(['webhook'], { email, webhook: noHook }, delivery('a@b.example')).skipped).toEqual([
      { channel: 'webhook', reason: 'REMINDER_WEBHOOK_URL is not set' },
    ]);
  });
});

describe('classifySmtpError', () => {
  it('takes a 5xx to RCPT TO or DATA as the mailbox refused for good, with the reply', () => {
    const e = classifySmtpError(
      Object.assign(new Error('x'), { command: 'RCPT TO', response: '550 5.1.1 no such user', responseCode: 550 }),
    );
    expect(e).toMatchObject({
      permanent: true,
      message: 'refused by the mail server (RCPT TO): 550 5.1.1 no such user',
    });
    expect(
      classifySmtpError(Object.assign(new Error('x'), { command: 'DATA', response: '554 spam', responseCode: 554 }))
        .permanent,
    ).toBe(true);
  });

  it('keeps recipient addresses out of the reason (it reaches logs and timelines)', () => {
    const e = classifySmtpError(
      Object.assign(new Error("Can't send mail - all recipients were rejected: 550 <ana@mail.example.com>"), {
        command: 'RCPT TO',
        response: '550 5.1.1 <ana@mail.example.com>: Recipient address rejected',
        responseCode: 550,
      }),
    );
    expect(e.message).toBe('refused by the mail server (RCPT TO): 550 5.1.1 <<redacted>>: Recipient address rejected');
    const timeout = classifySmtpError(new Error('Timeout sending to bob@example.org'));
    expect(timeout.message).toBe('Timeout sending to <redacted>');
  });

  it('lets everything else pass: no connection, timeouts, 4xx, and 5xx about our own sender or login', () => {
    expect(
      classifySmtpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1025'), { code: 'ESOCKET' })),
    ).toMatchObject({
      permanent: false,
      message: 'connect ECONNREFUSED 127.0.0.1:1025',
    });
    expect(
      classifySmtpError(
        Object.assign(new Error('x'), { command: 'RCPT TO', response: '451 try later', responseCode: 451 }),
      ),
    ).toMatchObject({
      permanent: false,
      message: 'the mail server answered 451 try later to RCPT TO',
    });
    expect(
      classifySmtpError(
        Object.assign(new Error('x'), { command: 'MAIL FROM', response: '550 sender refused', responseCode: 550 }),
      ).permanent,
    ).toBe(false);
    expect(
      classifySmtpError(
        Object.assign(new Error('x'), { command: 'AUTH PLAIN', response: '535 bad login', responseCode: 535 }),
      ).permanent,
    ).toBe(false);
  });
});
