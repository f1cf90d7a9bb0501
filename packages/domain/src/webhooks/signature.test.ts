import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, standardWebhookHeaders, webhookSecretKey } from './signature.js';

const body = JSON.stringify({ type: 'ping', timestamp: '2026-12-02T12:00:00.000Z', data: { hello: 'world' } });

/** Every check here goes through the specification's reference library, not through our own code. */
describe('Standard Webhooks signatures', () => {
  it('makes whsec_ secrets of 32 random bytes, each different', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(webhookSecretKey(a)).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('is verified by the reference library, and a tampered body, a stale timestamp or another secret fail', () => {
    const secret = newWebhookSecret();
    const headers = standardWebhookHeaders('msg_abc-1', body, [webhookSecretKey(secret)]);
    const wh = new Webhook(secret);
    expect(wh.verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => wh.verify(body.replace('world', 'World'), { ...headers })).toThrow(/No matching signature/);
    const stale = standardWebhookHeaders(
      'msg_abc-1',
      body,
      [webhookSecretKey(secret)],
      new Date(Date.now() - 6 * 60_000),
    );
    expect(() => wh.verify(body, { ...stale })).toThrow(/too old/);
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow(/No matching signature/);
    // The id is signed too: a message replayed under another id fails.
    expect(() => wh.verify(body, { ...headers, 'webhook-id': 'msg_abc-2' })).toThrow(/No matching signature/);
  });

  it('signs with both secrets during a rotation: either verifies, a rotated-out one alone does not', () => {
    const [oldS, newS, gone] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    const both = standardWebhookHeaders('msg_rot', body, [webhookSecretKey(newS), webhookSecretKey(oldS)]);
    expect(both['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(newS).verify(body, { ...both })).toBeTruthy();
    expect(new Webhook(oldS).verify(body, { ...both })).toBeTruthy();
    const after = standardWebhookHeaders('msg_rot', body, [webhookSecretKey(newS)]);
    expect(() => new Webhook(oldS).verify(body, { ...after })).toThrow(/No matching signature/);
    expect(() => new Webhook(gone).verify(body, { ...both })).toThrow(/No matching signature/);
  });

  it('keys a raw secret by its UTF-8 bytes, as the reference library does with format "raw" and bytes', () => {
    const raw = 'clé-secrète-of-the-operator-ü';
    const headers = standardWebhookHeaders('msg_raw', body, [Buffer.from(raw, 'utf8')]);
    expect(
      new Webhook(new Uint8Array(Buffer.from(raw, 'utf8')), { format: 'raw' }).verify(body, { ...headers }),
    ).toBeTruthy();
  });

  it('refuses ids holding a dot and secrets that are not whsec_ of 24 to 64 bytes', () => {
    expect(() => signWebhook(Buffer.alloc(32), 'msg_a.b', 1, body)).toThrow(/must not contain/);
    expect(() => webhookSecretKey('abc')).toThrow(/whsec_/);
    expect(() => webhookSecretKey(`whsec_${Buffer.alloc(8).toString('base64')}`)).toThrow(/24 to 64/);
  });
});
