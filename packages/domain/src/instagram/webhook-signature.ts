import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>`. */
export function signHubBody(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** Constant-time comparison with what the body should carry; anything malformed is false. */
export function verifyHubSignature(body: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || header.length !== 71 || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(signHubBody(body, appSecret), 'utf8');
  const given = Buffer.from(header.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
