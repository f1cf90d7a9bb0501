import { createHmac, timingSafeEqual } from 'node:crypto';
import { trimEndOf } from '../util/trim-end.js';

/**
 * Unsubscribe tokens: `campaignId | influencerId | HMAC-SHA256(secret, "unsubscribe" ‖ body)[0..16]`,
 * base64url (54 characters). A different length and a domain-separated MAC from the link tokens, so neither
 * kind of token can ever be taken for the other.
 */
export interface UnsubscribeClaims {
  campaignId: string;
  influencerId: string;
}

const DOMAIN = Buffer.from('seedline-unsubscribe\0');
const SIG_BYTES = 16;
const BODY_BYTES = 24;
const TOKEN_LENGTH = Math.ceil(((BODY_BYTES + SIG_BYTES) * 4) / 3);
const HEX24 = /^[0-9a-f]{24}$/;

const sign = (body: Buffer, secret: string) =>
  createHmac('sha256', secret).update(DOMAIN).update(body).digest().subarray(0, SIG_BYTES);

export function signUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  if (!HEX24.test(claims.campaignId) || !HEX24.test(claims.influencerId)) {
    throw new TypeError('campaignId and influencerId must be 24 lower-case hex characters');
  }
  const body = Buffer.concat([Buffer.from(claims.campaignId, 'hex'), Buffer.from(claims.influencerId, 'hex')]);
  return Buffer.concat([body, sign(body, secret)]).toString('base64url');
}

export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaims | null {
  if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== BODY_BYTES + SIG_BYTES || raw.toString('base64url') !== token) return null;
  const body = raw.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(raw.subarray(BODY_BYTES), sign(body, secret))) return null;
  return { campaignId: body.subarray(0, 12).toString('hex'), influencerId: body.subarray(12).toString('hex') };
}

export function unsubscribeUrl(baseUrl: string, claims: UnsubscribeClaims, secret: string): string {
  return `${trimEndOf(baseUrl, '/')}/u/${signUnsubscribeToken(claims, secret)}`;
}
