import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks (spec/standard-webhooks.md, v1.0.0) symmetric signatures: HMAC-SHA256 over
 * `webhook-id.webhook-timestamp.body`, base64, prefixed `v1,`; several signatures (secret rotation) are
 * space-delimited in one `webhook-signature` header. Secrets are 24–64 random bytes shown as `whsec_` + base64.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/** The HMAC key a `whsec_` secret stands for (its base64 decoded). */
export function webhookSecretKey(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
  if (key.length < 24 || key.length > 64) throw new Error('a webhook secret holds 24 to 64 bytes');
  return key;
}

/** One `v1,<base64>` signature of `id.timestamp.body` with the given key. */
export function signWebhook(key: Uint8Array, id: string, timestampSeconds: number, body: string): string {
  // The id and timestamp must never hold a `.`: the signed content would become ambiguous (the spec's warning).
  if (id.includes('.')) throw new Error('a webhook id must not contain "."');
  const mac = createHmac('sha256', key).update(`${id}.${Math.floor(timestampSeconds)}.${body}`);
  return `v1,${mac.digest('base64')}`;
}

/**
 * The three headers of one attempt, signed with every key given (the current secret first, then any secret
 * still inside its rotation overlap).
 */
export function standardWebhookHeaders(
  id: string,
  body: string,
  keys: readonly Uint8Array[],
  now: Date = new Date(),
): StandardWebhookHeaders {
  if (keys.length === 0) throw new Error('at least one signing key is needed');
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': keys.map((k) => signWebhook(k, id, timestamp, body)).join(' '),
  };
}
