import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, OwnMailpit, pollUntil, seedCampaign, type Stack } from '@seedline/testkit';
import { Db } from './support/results.js';

const LATER = { firstAfterSeconds: 3600, everySeconds: 3600, max: 1 };
const OUTAGE_MS = 20_000;

/**
 * Reminder emails when the mail server misbehaves. These tests stop their SMTP server and make it answer with
 * errors (Mailpit's chaos triggers), so they run against a Mailpit of their own, never the shared one.
 */
describe('reminder emails when SMTP fails', { timeout: 300_000 }, () => {
  let mailpit: OwnMailpit;
  let stack: Stack;
  let db: Db;

  beforeAll(async () => {
    mailpit = await OwnMailpit.start();
    stack = await createStack('remfault', {
      SMTP_URL: mailpit.smtpUrl,
      SMTP_TIMEOUT_MS: '2000',
      REMINDER_SWEEP_SECONDS: '0.5',
    });
    db = await Db.open(stack.env.MONGO_URL as string);
  });
  afterAll(async () => {
    await db?.close();
    await stack?.stop();
    await mailpit?.stop();
  });

  const settledAll = (ids: string[], state: 'sent' | 'failed') =>
    pollUntil(
      async () => {
        const docs = (await Promise.all(ids.map((id) => db.reminders(id)))).flat();
        return docs.length === ids.length && docs.every((r) => r.state === state) && docs;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `${ids.length} reminders to be ${state}` },
    );

  it('delivers every due reminder exactly once after the SMTP server was down for 20 s', async () => {
    const c = await seedCampaign(stack, {
      reminders: { purchase: { firstAfterSeconds: 2, everySeconds: 3600, max: 1 }, review: LATER },
    });
    await mailpit.pause();
    const downSince = Date.now();
    const people = await Promise.all(
      Array.from({ length: 6 }, (_, i) => c.signup(`outage.${i}`, { email: `outage.${i}@example.com` })),
    );
    const ids = people.map((p) => p.influencerId);
    // Every reminder came due and failed at least once while the server was away, and none was given up.
    await pollUntil(
      async () => {
        const docs = (await Promise.all(ids.map((id) => db.reminders(id)))).flat();
        return docs.length === ids.length && docs.every((r) => (r.failedDeliveries ?? 0) >= 1 && r.state === 'pending');
      },
      { timeoutMs: OUTAGE_MS, what: 'every reminder to fail while SMTP is down' },
    );
    // The outage lasts its full length (there is no event to wait for: time passing is the scenario).
    await new Promise((r) => setTimeout(r, Math.max(0, downSince + OUTAGE_MS - Date.now())));
    const stillPending = (await Promise.all(ids.map((id) => db.reminders(id)))).flat();
    expect(stillPending.map((r) => r.state)).toEqual(ids.map(() => 'pending'));
    expect(stillPending.every((r) => /^email: /.test(r.lastError ?? ''))).toBe(true);
    await mailpit.resume();

    const sent = await settledAll(ids, 'sent');
    expect(
      sent.every(
        (r) =>
          (r.failedDeliveries ?? 0) >= 1 &&
          /^delivered by email \(250 .*\) on delivery attempt \d+$/.test(r.outcome ?? ''),
      ),
    ).toBe(true);
    for (const [i, p] of people.entries()) {
      const inbox = await mailpit.to(`outage.${i}@example.com`);
      expect(
        inbox.map((m) => m.MessageID),
        `outage.${i}`,
      ).toEqual([`reminder.${p.influencerId}-purchase-1@seedline.localhost`]);
    }
  });

  it('retries a temporary refusal (4xx) and delivers once the server accepts', async () => {
    const c = await seedCampaign(stack, {
      reminders: { purchase: { firstAfterSeconds: 1, everySeconds: 3600, max: 1 }, review: LATER },
    });
    await mailpit.chaos({ Recipient: { ErrorCode: 451, Probability: 100 } });
    const p = await c.signup('greylisted', { email: 'greylisted@example.com' });
    await pollUntil(async () => ((await db.reminders(p.influencerId))[0]?.failedDeliveries ?? 0) >= 2, {
      timeoutMs: 60_000,
      what: 'two refused attempts',
    });
    await mailpit.chaos({});
    const [reminder] = await settledAll([p.influencerId], 'sent');
    expect(reminder?.lastError).toBe('email: the mail server answered 451 Chaos recipient error to RCPT TO');
    expect(await mailpit.to('greylisted@example.com')).toHaveLength(1);
  });

  it('fails a reminder refused for good (5xx) at once, without retrying, with the SMTP reply on the timeline', async () => {
    const c = await seedCampaign(stack, {
      reminders: { purchase: { firstAfterSeconds: 1, everySeconds: 1, max: 3 }, review: LATER },
    });
    await mailpit.chaos({ Recipient: { ErrorCode: 550, Probability: 100 } });
    try {
      const p = await c.signup('bounced', { email: 'bounced@example.com' });
      const [reminder] = await settledAll([p.influencerId], 'failed');
      const outcome = 'email failed: refused by the mail server (RCPT TO): 550 Chaos recipient error';
      expect(reminder).toMatchObject({ failedDeliveries: 0, outcome });
      const detail = (await c.influencer(p.influencerId)).body;
      expect(detail.timeline.filter((e: { type: string }) => e.type.startsWith('reminder_'))).toMatchObject([
        { type: 'reminder_failed', detail: `purchase reminder #1: ${outcome}` },
      ]);
      expect(detail.remindersSent).toBe(0);
      // No retry, and no next reminder to a mailbox that refuses mail.
      expect(await db.reminders(p.influencerId)).toHaveLength(1);
      expect(await mailpit.to('bounced@example.com')).toEqual([]);
    } finally {
      await mailpit.chaos({});
    }
  });
});
