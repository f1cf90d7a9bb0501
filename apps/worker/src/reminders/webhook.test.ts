import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HookReceiver } from '@seedline/testkit';
import { loadWorkerConfig } from '../config.js';
import { deliverReminder, type ReminderWebhookBody } from './webhook.js';

const SECRET = 'operator-webhook-secret-with-ünïcode-0123456789';
const payload: ReminderWebhookBody = {
  id: '0123456789abcdef01234567-purchase-1',
  type: 'purchase_reminder',
  attempt: 1,
  campaignId: '0123456789abcdef01234500',
  influencerId: '0123456789abcdef01234567',
  instagramHandle: 'ana',
  email: 'ana@example.test',
  links: { purchase: 'https://l/p', review: 'https://l/r', submit: 'https://l/s' },
};

describe('reminder webhooks', () => {
  const receiver = new HookReceiver();
  let url: string;
  beforeAll(async () => {
    url = await receiver.start();
  });
  afterAll(() => receiver.stop());

  it('carries the Standard Webhooks headers keyed by the UTF-8 bytes of WEBHOOK_SECRET, beside X-Seedline-Signature', async () => {
    receiver.answer = () => ({ status: 200 });
    expect(await deliverReminder(`${url}/r`, payload, SECRET, 5000)).toBe(200);
    expect(await deliverReminder(`${url}/r`, payload, SECRET, 5000)).toBe(200);
    const [first, second] = receiver.requests.slice(-2);
    if (!first || !second) throw new Error('no deliveries');
    const headers = (r: typeof first) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
    const key = new Uint8Array(Buffer.from(SECRET, 'utf8'));
    expect(new Webhook(key, { format: 'raw' }).verify(first.body, headers(first))).toMatchObject({ id: payload.id });
    // The same id on every attempt, so a receiver drops the repeat.
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(() =>
      new Webhook(key, { format: 'raw' }).verify(first.body.replace('ana', 'bob'), headers(first)),
    ).toThrow();
    // The deprecated body-only signature is still there for receivers written against it.
    const legacy = `sha256=${createHmac('sha256', SECRET).update(first.body).digest('hex')}`;
    expect(first.headers['x-seedline-signature']).toBe(legacy);
  });

  it('never follows a redirect: a 307 fails the attempt and its target sees nothing', async () => {
    const elsewhere = new HookReceiver();
    const elsewhereUrl = await elsewhere.start();
    receiver.answer = () => ({ status: 307, headers: { location: `${elsewhereUrl}/steal` } });
    await expect(deliverReminder(`${url}/r`, payload, SECRET, 5000)).rejects.toThrow('answered HTTP 307');
    expect(elsewhere.requests).toHaveLength(0);
    await elsewhere.stop();
  });

  it('requires an https REMINDER_WEBHOOK_URL in production', () => {
    const secrets = {
      LINK_SECRET: 'x'.repeat(40) + 'abcdefghijklmnopq',
      WEBHOOK_SECRET: 'y'.repeat(40) + 'abcdefghijklmnopq',
    };
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const prod = { NODE_ENV: 'production', ...secrets };
      expect(() => loadWorkerConfig({ ...prod, REMINDER_WEBHOOK_URL: 'http://hooks.example.test/r' })).toThrow(
        'exit 78',
      );
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(
        'REMINDER_WEBHOOK_URL must be an https URL in production',
      );
      expect(loadWorkerConfig({ ...secrets, REMINDER_WEBHOOK_URL: 'http://127.0.0.1:9/r' }).REMINDER_WEBHOOK_URL).toBe(
        'http://127.0.0.1:9/r',
      );
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});
