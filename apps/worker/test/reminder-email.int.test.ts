import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BROWSER_UA,
  createStack,
  Mailpit,
  pollUntil,
  request,
  seedCampaign,
  SHARED_MAILPIT_API,
  SHARED_SMTP_URL,
  TEST_SECRETS,
  type MailSummary,
  type Stack,
} from '@seedline/testkit';
import { expectHeldUntilNine, zoneAtThreeAm } from './support/quiet-hours.js';
import { Db, type Campaign } from './support/results.js';

const LATER = { firstAfterSeconds: 3600, everySeconds: 3600, max: 1 };
const PRODUCT_URL = 'https://shop.example.com/serum';

/**
 * Reminder emails end to end: real apps, real SMTP into the Mailpit `npm run services` runs (shared with other
 * tests, so each influencer here has an address no other test uses), read back through Mailpit's API.
 */
describe('reminder emails', { timeout: 300_000 }, () => {
  const run = randomBytes(4).toString('hex');
  const address = (who: string) => `${who}.${run}@example.com`;
  const mail = new Mailpit(SHARED_MAILPIT_API);
  let stack: Stack;
  let db: Db;
  let redis: Redis;

  beforeAll(async () => {
    stack = await createStack('remmail', {
      SMTP_URL: SHARED_SMTP_URL,
      REMINDER_SWEEP_SECONDS: '0.5',
      REMINDER_FROM: 'Glow Co <reminders@glow.example>',
    });
    db = await Db.open(stack.env.MONGO_URL as string);
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await db?.close();
    await stack?.stop();
  });

  const campaign = (
    purchase: { firstAfterSeconds: number; everySeconds: number; max: number },
    extra: Record<string, unknown> = {},
  ) =>
    seedCampaign(stack, {
      name: `Glow <Serum> ${run}`,
      productUrl: PRODUCT_URL,
      reminders: { purchase, review: LATER, ...extra },
    });

  /** Waits until the influencer's purchase reminders have all left `pending`, `sent` of them sent. */
  async function settled(influencerId: string, sent: number, count = sent) {
    return pollUntil(
      async () => {
        const docs = await db.reminders(influencerId);
        const done =
          docs.length === count &&
          docs.every((r) => r.state !== 'pending') &&
          docs.filter((r) => r.state === 'sent').length === sent;
        return done && docs;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: `the reminders of ${influencerId} to settle with ${sent} sent` },
    );
  }
  const inbox = (who: string, n: number): Promise<MailSummary[]> =>
    pollUntil(
      async () => {
        const found = await mail.to(address(who));
        return found.length >= n && found;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `${n} emails to ${address(who)}` },
    );
  const linkIn = (text: string, kind: 'l' | 'u' | 's') =>
    new RegExp(`${stack.ingestUrl}/${kind}/[\\w-]+`).exec(text)?.[0];

  it('emails a stalled influencer exactly `max` times, each with its own Message-ID and the influencer’s own tracked link', async () => {
    const c = await campaign({ firstAfterSeconds: 2, everySeconds: 1, max: 3 }, { replyTo: 'team@glow.example' });
    const ava = await c.signup('ava.stalled', { email: address('ava') });
    const ben = await c.signup('ben.stalled', { email: address('ben') });
    await Promise.all([settled(ava.influencerId, 3), settled(ben.influencerId, 3)]);

    for (const [who, me, other] of [
      ['ava', ava, ben],
      ['ben', ben, ava],
    ] as const) {
      const found = await mail.to(address(who));
      expect(found).toHaveLength(3);
      expect(found.map((m) => m.MessageID).sort()).toEqual(
        [1, 2, 3].map((n) => `reminder.${me.influencerId}-purchase-${n}@glow.example`),
      );
      for (const summary of found) {
        const m = await mail.message(summary.ID);
        expect(m.From).toMatchObject({ Address: 'reminders@glow.example', Name: 'Glow Co' });
        expect(m.ReplyTo.map((r) => r.Address)).toEqual(['team@glow.example']);
        expect(m.Subject).toBe(`Your Glow <Serum> ${run} link is waiting, @${who}.stalled`);
        expect(m.Text).toContain(me.links.purchase);
        expect(m.Text).toContain(me.links.submit);
        expect(m.Text).not.toContain(other.links.purchase);
        expect(m.HTML).toContain(`href="${me.links.purchase}"`);
        expect(m.HTML).toContain(`Glow &lt;Serum&gt; ${run}`);
        const headers = await mail.headers(summary.ID);
        expect(headers['List-Unsubscribe-Post']).toEqual(['List-Unsubscribe=One-Click']);
        expect(headers['List-Unsubscribe']?.[0]).toBe(`<${linkIn(m.Text, 'u')}>`);
      }
    }
    // The link in the email is the influencer's tracked link: it redirects, and counts as their purchase click.
    const text = (await mail.message((await mail.to(address('ava')))[0]?.ID as string)).Text;
    const click = await fetch(linkIn(text, 'l') as string, {
      redirect: 'manual',
      headers: { 'User-Agent': BROWSER_UA },
    });
    expect([click.status, click.headers.get('location')]).toEqual([302, PRODUCT_URL]);
    await pollUntil(async () => (await c.influencer(ava.influencerId)).body.status === 'purchased', {
      what: 'the click from the email',
    });

    const detail = (await c.influencer(ben.influencerId)).body;
    expect(detail.remindersSent).toBe(3);
    const sent = detail.timeline
      .filter((e: { type: string }) => e.type === 'reminder_sent')
      .map((e: { detail: string }) => e.detail);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^purchase reminder #1: delivered by email \(250 .*\) on delivery attempt 1$/);
  });

  it('sends nothing more once the influencer moved on', async () => {
    // The next reminder is due 20 s after the first: time for the click (or the unsubscribe) to be applied under load.
    const c = await campaign({ firstAfterSeconds: 1, everySeconds: 20, max: 3 });
    const cleo = await c.signup('cleo.buys', { email: address('cleo') });
    const [first] = await inbox('cleo', 1);
    const link = linkIn((await mail.message(first?.ID as string)).Text, 'l') as string;
    await fetch(link, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    await pollUntil(async () => (await c.influencer(cleo.influencerId)).body.status === 'purchased', {
      what: 'the click to be applied',
    });

    const reminders = await settled(cleo.influencerId, 1, 2);
    expect(reminders[1]).toMatchObject({ state: 'cancelled', outcome: 'not sent: influencer is purchased' });
    expect(await mail.to(address('cleo'))).toHaveLength(1);
  });

  it('unsubscribes with one click (never on GET) and sends nothing more', async () => {
    const c = await campaign({ firstAfterSeconds: 1, everySeconds: 20, max: 3 });
    const dan = await c.signup('dan.unsub', { email: address('dan') });
    const [first] = await inbox('dan', 1);
    const url = /^<(.*)>$/.exec(
      (await mail.headers(first?.ID as string))['List-Unsubscribe']?.[0] ?? '',
    )?.[1] as string;
    expect(url.startsWith(`${stack.ingestUrl}/u/`)).toBe(true);

    const unsubscribes = new Queue('unsubscribes', { connection: redis, prefix: stack.prefix, skipMetasUpdate: true });
    const queued = async () =>
      Object.values(await unsubscribes.getJobCounts('waiting', 'active', 'completed', 'delayed', 'failed')).reduce(
        (a, b) => a + b,
        0,
      );
    try {
      // What a mail scanner does: open the link. A page that asks, nothing recorded.
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toMatch(
        /<form method="post"><input type="hidden" name="confirm" value="yes"><button type="submit">Unsubscribe<\/button>/,
      );
      expect(html).toContain(`Glow &lt;Serum&gt; ${run}`);
      expect(await queued()).toBe(0);

      // What a mail provider does on "unsubscribe" (RFC 8058).
      const oneClick = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect([oneClick.status, await oneClick.text()]).toEqual([200, '']);
      expect(await queued()).toBe(1);
    } finally {
      await unsubscribes.close();
    }
    const detail = await pollUntil(
      async () => {
        const body = (await c.influencer(dan.influencerId)).body;
        return body.unsubscribedAt ? body : undefined;
      },
      { what: 'the unsubscribe to be applied' },
    );
    expect(detail.timeline.filter((e: { type: string }) => e.type === 'unsubscribed')).toMatchObject([
      { source: expect.stringMatching(/^one-click unsubscribe/) },
    ]);

    const reminders = await settled(dan.influencerId, 1, 2);
    expect(reminders[1]).toMatchObject({ state: 'cancelled', outcome: 'not sent: unsubscribed' });
    expect(await mail.to(address('dan'))).toHaveLength(1);

    const item = (await c.list()).body.items.find((i: { id: string }) => i.id === dan.influencerId);
    expect(item.unsubscribedAt).toBe(detail.unsubscribedAt);
    const csv = await (
      await fetch(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/influencers.csv`, {
        headers: { Authorization: `Bearer ${c.apiKey}` },
      })
    ).text();
    const [header, row] = csv.trim().split('\n');
    expect(row?.split(',')[header?.split(',').indexOf('unsubscribedAt') ?? -1]).toBe(detail.unsubscribedAt);
  });

  it('holds an email due in the influencer’s night until 09:00 there', async () => {
    const timezone = zoneAtThreeAm();
    const c: Campaign = await campaign({ firstAfterSeconds: 1, everySeconds: 3600, max: 1 });
    const owl = await c.signup('night.owl', { email: address('owl'), timezone });
    await expectHeldUntilNine(db, owl.influencerId, timezone);
    expect(await mail.to(address('owl'))).toEqual([]);
  });

  it('skips an influencer without an email address when no webhook is configured, saying why on the timeline', async () => {
    const c = await campaign({ firstAfterSeconds: 1, everySeconds: 3600, max: 2 });
    const quiet = await c.signup('no.address');
    const [reminder] = await settled(quiet.influencerId, 0, 1);
    expect(reminder).toMatchObject({ state: 'cancelled', outcome: 'not sent: email: no email address' });
    const detail = (await c.influencer(quiet.influencerId)).body;
    expect(detail.timeline.find((e: { type: string }) => e.type === 'reminder_skipped')?.detail).toBe(
      'purchase reminder #1: not sent: email: no email address',
    );
  });

  it('refuses an invalid email at sign-up with a 400 naming body.email', async () => {
    const c = await campaign(LATER);
    const res = await request(`${stack.ingestUrl}/v1/signups`, {
      method: 'POST',
      token: TEST_SECRETS.INGEST_TOKEN,
      json: { campaignId: c.campaignId, instagramHandle: 'bad.address', email: 'not-an-email' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.email']);
  });

  it('counts reminders by channel and outcome in the metrics', async () => {
    const metrics = await (await fetch(`${stack.apiUrl}/metrics`)).text();
    const value = (labels: string) =>
      Number(new RegExp(`^seedline_reminder_deliveries_total\\{${labels}\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    expect(value('channel="email",outcome="sent"')).toBeGreaterThanOrEqual(8);
    expect(value('channel="email",outcome="skipped"')).toBeGreaterThanOrEqual(1);
  });
});
