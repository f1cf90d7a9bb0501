import { randomBytes } from 'node:crypto';
import type mongoose from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo } from '@seedline/db';
import {
  createStack,
  hookHeaders,
  HookReceiver,
  pollUntil,
  request,
  seedCampaign,
  type Stack,
} from '@seedline/testkit';

/**
 * Endpoint secrets sealed at rest under DATA_KEY: the stored document holds no trace of a secret, deliveries
 * still verify with it, and endpoints saved in plain text before sealing keep working and are sealed, by the
 * worker at their first delivery and by the api at its start.
 */
describe('webhook endpoint secrets at rest', { timeout: 180_000 }, () => {
  let stack: Stack;
  let conn: mongoose.Connection;
  const receiver = new HookReceiver(() => ({ status: 200, body: 'ok' }));
  let url: string;

  beforeAll(async () => {
    url = `${await receiver.start()}/hooks`;
    stack = await createStack('hooksecrets', { WEBHOOK_ALLOW_PRIVATE: '1' }, ['api', 'worker']);
    conn = await connectMongo(stack.env.MONGO_URL as string);
  });
  afterAll(async () => {
    await conn?.close();
    await receiver.stop();
    await stack?.stop();
  });

  const stored = async (id: string) =>
    JSON.stringify(await conn.collection('webhook_endpoints').findOne({ _id: id as never }));
  /** the secret's key material as well as its `whsec_` spelling: neither may be stored */
  const traces = (secret: string) => [secret, secret.slice('whsec_'.length)];
  const ping = async (apiKey: string, endpointId: string) => {
    const res = await request(`${stack.apiUrl}/v1/webhook-endpoints/${endpointId}/test`, {
      method: 'POST',
      token: apiKey,
    });
    expect(res.status).toBe(202);
    return pollUntil(() => receiver.requests.find((r) => r.headers['webhook-id'] === res.body.messageId), {
      what: `ping ${res.body.messageId as string}`,
    });
  };
  /** An endpoint as this version stored them before sealing: the plain `whsec_` secret. */
  const legacyEndpoint = async (brandId: string) => {
    const id = randomBytes(12).toString('hex');
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await conn.collection('webhook_endpoints').insertOne({
      _id: id as never,
      brandId,
      url,
      events: [],
      description: 'saved before sealing',
      secrets: [{ secret, expiresAt: null }],
      createdAt: new Date(),
      disabledAt: null,
      disabledReason: null,
      failingSince: null,
    });
    expect(await stored(id)).toContain(secret);
    return { id, secret };
  };

  it('stores a new or rotated secret sealed, and signs with it', async () => {
    const c = await seedCampaign(stack);
    const created = await request(`${stack.apiUrl}/v1/webhook-endpoints`, {
      method: 'POST',
      token: c.apiKey,
      json: { url },
    });
    expect(created.status).toBe(201);
    const { id, secret } = created.body as { id: string; secret: string };
    const doc = await stored(id);
    expect(doc).toMatch(/"secret":"v1\./);
    for (const t of traces(secret)) expect(doc).not.toContain(t);
    const first = await ping(c.apiKey, id);
    expect(new Webhook(secret).verify(first.body, hookHeaders(first))).toMatchObject({ type: 'ping' });

    const rotated = await request(`${stack.apiUrl}/v1/webhook-endpoints/${id}/rotate-secret`, {
      method: 'POST',
      token: c.apiKey,
    });
    const next = rotated.body.secret as string;
    const after = await stored(id);
    for (const t of [...traces(secret), ...traces(next)]) expect(after).not.toContain(t);
    const second = await ping(c.apiKey, id);
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(second.body, hookHeaders(second))).toMatchObject({ type: 'ping' });
    expect(new Webhook(secret).verify(second.body, hookHeaders(second))).toMatchObject({ type: 'ping' });
  });

  it('reads an endpoint stored in plain text, and the worker seals it at its first delivery', async () => {
    const c = await seedCampaign(stack);
    const legacy = await legacyEndpoint(c.brandId);
    const got = await ping(c.apiKey, legacy.id);
    expect(new Webhook(legacy.secret).verify(got.body, hookHeaders(got))).toMatchObject({ type: 'ping' });
    const doc = await pollUntil(
      async () => {
        const d = await stored(legacy.id);
        return !d.includes(legacy.secret) && d;
      },
      { what: 'the plain secret sealed' },
    );
    expect(doc).toMatch(/"secret":"v1\./);
    for (const t of traces(legacy.secret)) expect(doc).not.toContain(t);
    const again = await ping(c.apiKey, legacy.id);
    expect(new Webhook(legacy.secret).verify(again.body, hookHeaders(again))).toMatchObject({ type: 'ping' });
  });

  it('seals every plain secret when the api starts', async () => {
    const c = await seedCampaign(stack);
    const legacy = await legacyEndpoint(c.brandId);
    await stack.apps.api?.stop();
    await stack.start('api');
    const doc = await stored(legacy.id);
    for (const t of traces(legacy.secret)) expect(doc).not.toContain(t);
    const got = await ping(c.apiKey, legacy.id);
    expect(new Webhook(legacy.secret).verify(got.body, hookHeaders(got))).toMatchObject({ type: 'ping' });
  });
});
