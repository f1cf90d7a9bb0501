import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signupsOf, WEBHOOK_EVENT_TYPES, webhookEventBody, type WebhookEventBody } from '@seedline/domain';
import {
  BROWSER_UA,
  createStack,
  hookHeaders,
  HookReceiver,
  pollUntil,
  request,
  seedCampaign,
  submitToken,
  type Stack,
} from '@seedline/testkit';

/** A receiver's view of an endpoint: every request verified by the reference library, then parsed. */
class Verified {
  constructor(
    readonly receiver: HookReceiver,
    private readonly secret: string,
  ) {}
  /** every request, verified (throws on any that does not verify) and parsed with the domain's schema */
  events(): { id: string; event: WebhookEventBody }[] {
    const wh = new Webhook(this.secret);
    return this.receiver.requests.map((r) => ({
      id: String(r.headers['webhook-id']),
      event: webhookEventBody.parse(wh.verify(r.body, hookHeaders(r))),
    }));
  }
  of<T extends WebhookEventBody['type']>(type: T) {
    return this.events()
      .map((e) => e.event)
      .filter((e): e is Extract<WebhookEventBody, { type: T }> => e.type === type);
  }
  /** the distinct events (by webhook-id) that concern one influencer, in `data.sequence` order */
  forInfluencer(influencerId: string): WebhookEventBody[] {
    const byId = new Map(this.events().map((e) => [e.id, e.event]));
    return [...byId.values()]
      .filter((e) => 'influencerId' in e.data && e.data.influencerId === influencerId)
      .sort((a, b) => (a.data as { sequence: number }).sequence - (b.data as { sequence: number }).sequence);
  }
}

/**
 * Every event type a brand can subscribe to, end to end: real api, ingest and worker processes, each event
 * emitted where its fact is recorded, delivered to real receivers on loopback and verified with the
 * `standardwebhooks` reference library; subscriptions filter, and repeating a fact sends nothing new.
 */
describe('brand webhook events', { timeout: 240_000 }, () => {
  let stack: Stack;
  const all = new HookReceiver();
  const rejectedOnly = new HookReceiver();
  // The reminder channel's own receiver (REMINDER_WEBHOOK_URL): refuses the reminders of `fails.*` handles.
  const reminders = new HookReceiver((req) =>
    (JSON.parse(req.body) as { instagramHandle: string }).instagramHandle.startsWith('fails')
      ? { status: 500, body: 'down' }
      : { status: 200, body: 'ok' },
  );

  let redis: Redis;
  /** Sends a finished job's payload again under a new id, as if its acknowledgement had been lost. */
  const redeliver = async (name: 'signups' | 'submissions', pick: (data: Record<string, unknown>) => boolean) => {
    const queue = new Queue(name, { connection: redis, prefix: stack.prefix });
    try {
      const original = (await queue.getCompleted()).find((j) => pick(j.data as Record<string, unknown>));
      if (!original) throw new Error(`no finished ${name} job to redeliver`);
      const again = await queue.add(original.name, original.data, { jobId: `redeliver-${name}-${Date.now()}` });
      await pollUntil(() => again.isCompleted(), { what: `the redelivered ${name} job` });
    } finally {
      await queue.close();
    }
  };

  beforeAll(async () => {
    const [, , reminderUrl] = await Promise.all([all.start(), rejectedOnly.start(), reminders.start()]);
    stack = await createStack('hookevents', {
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_RETRY_SCHEDULE: '0,1,2',
      REMINDER_WEBHOOK_URL: `${reminderUrl}/reminders`,
      REMINDER_SWEEP_SECONDS: '0.5',
      // about 4 s: a reminder whose receiver keeps failing fails for good within the test
      REMINDER_RETRY_HOURS: '0.001',
    });
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([all.stop(), rejectedOnly.stop(), reminders.stop()]);
    await stack?.stop();
  });

  it('sends every event type, signed, once per fact, numbered per influencer, to the endpoints that want it', async () => {
    const c = await seedCampaign(stack, {
      requirements: { hashtags: ['ad'], mentions: [] },
      reminders: {
        purchase: { firstAfterSeconds: 1, everySeconds: 3600, max: 1 },
        review: { firstAfterSeconds: 3600, everySeconds: 3600, max: 1 },
        channels: ['webhook'],
      },
      reimbursement: { price: '20.00', currency: 'USD', approval: 'auto' },
    });
    const endpoint = async (receiver: HookReceiver, events?: string[]) => {
      const url = `http://127.0.0.1:${receiver.port}/hooks`;
      const res = await request(`${stack.apiUrl}/v1/webhook-endpoints`, {
        method: 'POST',
        token: c.apiKey,
        json: { url, ...(events ? { events } : {}) },
      });
      expect(res.status).toBe(201);
      return new Verified(receiver, res.body.secret as string);
    };
    const everything = await endpoint(all);
    const filtered = await endpoint(rejectedOnly, ['submission.rejected']);
    const api = (path: string, init: Parameters<typeof request>[1] = {}) =>
      request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}${path}`, { token: c.apiKey, ...init });
    const seen = (pred: (e: WebhookEventBody) => boolean, what: string) =>
      pollUntil(() => everything.events().find((e) => pred(e.event))?.event, { what, timeoutMs: 60_000 });

    // influencer.signed_up, then the purchase reminder (reminder.sent), from the worker's processors.
    const ok = await c.signup('ok.one');
    const signedUp = await seen((e) => e.type === 'influencer.signed_up', 'signed_up');
    expect(signedUp.data).toMatchObject({
      influencerId: ok.influencerId,
      campaignId: c.campaignId,
      instagramHandle: 'ok.one',
    });
    const sent = await seen((e) => e.type === 'reminder.sent', 'reminder.sent');
    expect(sent.data).toMatchObject({ influencerId: ok.influencerId, stage: 'purchase', number: 1 });
    expect(sent.type === 'reminder.sent' && sent.data.channels).toEqual(['webhook']);
    // A sign-up of the same handle again is the same influencer: no second signed_up.
    expect((await c.signup('ok.one')).influencerId).toBe(ok.influencerId);

    // reminder.failed: the reminder channel refuses this one until the retry window (REMINDER_RETRY_HOURS) ends.
    const failing = await c.signup('fails.one');
    const failed = await seen((e) => e.type === 'reminder.failed', 'reminder.failed');
    expect(failed.data).toMatchObject({ influencerId: failing.influencerId, stage: 'purchase', number: 1 });
    expect(failed.type === 'reminder.failed' && failed.data.reason).toMatch(/HTTP 500/);

    // influencer.status_changed, then submission.rejected with its reasons (caption without #ad).
    await fetch(ok.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    await seen((e) => e.type === 'influencer.status_changed' && e.data.to === 'purchased', 'purchased');
    const submit = (json: Record<string, unknown>) =>
      request(`${stack.ingestUrl}/v1/submissions`, {
        method: 'POST',
        json: { token: submitToken(ok.links.submit), ...json },
      });
    const bad = await submit({ postUrl: 'https://www.instagram.com/p/Cbad123/', caption: 'no tag here' });
    const rejected = await seen((e) => e.type === 'submission.rejected', 'submission.rejected');
    expect(rejected.data).toMatchObject({
      influencerId: ok.influencerId,
      submissionId: bad.body.submissionId,
      postUrl: 'https://www.instagram.com/p/Cbad123/',
    });
    expect(rejected.type === 'submission.rejected' && rejected.data.reasons.join(' ')).toMatch(/#ad/);
    // The sign-up's and the rejected submission's jobs delivered again record the same facts: nothing new is sent.
    // (the ingest sends the sign-ups of one moment as one job: the job that carried this one)
    await redeliver('signups', (d) => signupsOf(d as never).some((j) => j.influencerId === ok.influencerId));
    await redeliver('submissions', (d) => d.eventId === bad.body.submissionId);

    // reimbursement.updated: the worker approves (post and proof accepted), the brand marks it paid (api).
    await submit({
      postUrl: 'https://www.instagram.com/p/Cgood12/',
      caption: 'love it #ad',
      orderId: '112-7654321-1234567',
      amountPaid: '20.00',
      payoutEmail: 'ok.one@example.com',
    });
    await seen((e) => e.type === 'reimbursement.updated' && e.data.state === 'approved', 'approved');
    const paid = await api(`/reimbursements/${ok.influencerId}/paid`, {
      method: 'POST',
      json: { reference: 'wire-42' },
    });
    expect(paid.body.state).toBe('paid');
    const paidEvent = await seen((e) => e.type === 'reimbursement.updated' && e.data.state === 'paid', 'paid');
    expect(paidEvent.data).toMatchObject({
      influencerId: ok.influencerId,
      reimbursementId: ok.influencerId,
      from: 'approved',
      amount: '20.00',
      currency: 'USD',
    });
    // Repeating the brand's action changes nothing, and sends nothing.
    expect(
      (await api(`/reimbursements/${ok.influencerId}/paid`, { method: 'POST', json: { reference: 'x' } })).status,
    ).toBe(200);

    // attribution.report_uploaded (api); the same report again is the same event.
    const report = {
      rows: [
        {
          date: '2026-11-30',
          clicks: 40,
          detailPageViews: 30,
          addToCarts: 5,
          purchases: 2,
          unitsSold: 2,
          sales: 39.98,
        },
      ],
    };
    expect((await api('/attribution', { method: 'POST', json: report })).status).toBe(200);
    const uploaded = await seen((e) => e.type === 'attribution.report_uploaded', 'attribution.report_uploaded');
    expect(uploaded.data).toMatchObject({
      campaignId: c.campaignId,
      rows: 1,
      reportedFrom: '2026-11-30',
      reportedThrough: '2026-11-30',
    });
    expect((await api('/attribution', { method: 'POST', json: report })).status).toBe(200);

    // A last event, so that anything a repeat above would have queued has been delivered before counting.
    await fetch(ok.links.review, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    await seen((e) => e.type === 'influencer.status_changed' && e.data.to === 'followed_up', 'followed_up');

    const events = everything.events();
    // Every type was received, and each fact once: one id per body, one signed_up per influencer, one upload.
    expect(new Set(events.map((e) => e.event.type))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
    const bodies = new Map<string, string>();
    for (const e of events) {
      expect(bodies.get(e.id) ?? JSON.stringify(e.event)).toBe(JSON.stringify(e.event));
      bodies.set(e.id, JSON.stringify(e.event));
    }
    const distinct = (pred: (e: WebhookEventBody) => boolean) =>
      new Set(events.filter((e) => pred(e.event)).map((e) => e.id)).size;
    expect(distinct((e) => e.type === 'influencer.signed_up' && e.data.influencerId === ok.influencerId)).toBe(1);
    expect(distinct((e) => e.type === 'influencer.signed_up')).toBe(2);
    expect(distinct((e) => e.type === 'reimbursement.updated' && e.data.state === 'paid')).toBe(1);
    expect(distinct((e) => e.type === 'attribution.report_uploaded')).toBe(1);
    expect(distinct((e) => e.type === 'reminder.sent')).toBe(1);
    expect(distinct((e) => e.type === 'reminder.failed')).toBe(1);
    expect(distinct((e) => e.type === 'submission.rejected')).toBe(1);

    // Per influencer, sequences are distinct and follow the order in which the facts happened.
    const mine = everything.forInfluencer(ok.influencerId);
    const sequences = mine.map((e) => (e.data as { sequence: number }).sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    const label = (e: WebhookEventBody) =>
      e.type === 'influencer.status_changed'
        ? `status:${e.data.to}`
        : e.type === 'reimbursement.updated'
          ? `reimbursement:${e.data.state}`
          : e.type;
    const order = mine.map(label);
    const at = (l: string) => order.indexOf(l);
    for (const [before, after] of [
      ['influencer.signed_up', 'reminder.sent'],
      ['reminder.sent', 'status:purchased'],
      ['status:purchased', 'submission.rejected'],
      ['submission.rejected', 'reimbursement:approved'],
      ['reimbursement:approved', 'reimbursement:paid'],
      ['reimbursement:paid', 'status:followed_up'],
    ])
      expect(at(before as string), `${before} before ${after} in ${order.join(', ')}`).toBeLessThan(
        at(after as string),
      );
    expect(at('influencer.signed_up')).toBe(0);

    // The filtered endpoint got the rejection only, and its own signature verifies it.
    await pollUntil(() => filtered.events().length > 0, { what: 'the filtered endpoint got the rejection' });
    expect(filtered.events().map((e) => e.event.type)).toEqual(['submission.rejected']);
    expect(filtered.events()[0]?.id).toBe(events.find((e) => e.event.type === 'submission.rejected')?.id);
  });
});
