import { createHmac, timingSafeEqual } from 'node:crypto';
import { trimEndOf } from '../util/trim-end.js';
import { KEY_ID_BYTES, LinkKeyring } from './keyring.js';
import type { LinkSecrets } from './token.js';

/**
 * Unsubscribe tokens: `keyId | campaignId | influencerId | HMAC-SHA256(secret, "unsubscribe" ‖ body)[0..16]`,
 * base64url (59 characters; 54 for tokens made before key ids, which still verify against each secret). Other
 * lengths and a domain-separated MAC from the link tokens, so neither kind can ever be taken for the other.
 */
export interface UnsubscribeClaims {
  campaignId: string;
  influencerId: string;
}

const DOMAIN = Buffer.from('seedline-unsubscribe\0');
const SIG_BYTES = 16;
const IDS_BYTES = 24;
const BODY_BYTES = KEY_ID_BYTES + IDS_BYTES;
const chars = (bytes: number) => Math.ceil((bytes * 4) / 3);
export const UNSUBSCRIBE_TOKEN_LENGTH = chars(BODY_BYTES + SIG_BYTES);
const LEGACY_LENGTH = chars(IDS_BYTES + SIG_BYTES);
const HEX24 = /^[0-9a-f]{24}$/;

const sign = (body: Buffer, secret: string) =>
  createHmac('sha256', secret).update(DOMAIN).update(body).digest().subarray(0, SIG_BYTES);

function ids(claims: UnsubscribeClaims): Buffer {
  if (!HEX24.test(claims.campaignId) || !HEX24.test(claims.influencerId)) {
    throw new TypeError('campaignId and influencerId must be 24 lower-case hex characters');
  }
  return Buffer.concat([Buffer.from(claims.campaignId, 'hex'), Buffer.from(claims.influencerId, 'hex')]);
}

export function signUnsubscribeToken(claims: UnsubscribeClaims, secrets: LinkSecrets): string {
  const key = LinkKeyring.of(secrets).current;
  const body = Buffer.concat([key.kid, ids(claims)]);
  return Buffer.concat([body, sign(body, key.secret)]).toString('base64url');
}

/** A token as made before key ids: for tests of old links and nothing else. */
export function signLegacyUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  const body = ids(claims);
  return Buffer.concat([body, sign(body, secret)]).toString('base64url');
}

export function verifyUnsubscribeToken(token: string, secrets: LinkSecrets): UnsubscribeClaims | null {
  if (typeof token !== 'string' || (token.length !== UNSUBSCRIBE_TOKEN_LENGTH && token.length !== LEGACY_LENGTH)) {
    return null;
  }
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.toString('base64url') !== token) return null;
  const legacy = token.length === LEGACY_LENGTH;
  const bodyBytes = legacy ? IDS_BYTES : BODY_BYTES;
  if (raw.length !== bodyBytes + SIG_BYTES) return null;
  const body = raw.subarray(0, bodyBytes);
  const keyring = LinkKeyring.of(secrets);
  const keys = legacy ? keyring.keys : keyring.withKid(body.subarray(0, KEY_ID_BYTES));
  const signature = raw.subarray(bodyBytes);
  if (!keys.some((k) => timingSafeEqual(signature, sign(body, k.secret)))) return null;
  const at = legacy ? 0 : KEY_ID_BYTES;
  return {
    campaignId: body.subarray(at, at + 12).toString('hex'),
    influencerId: body.subarray(at + 12, at + 24).toString('hex'),
  };
}

export function unsubscribeUrl(baseUrl: string, claims: UnsubscribeClaims, secrets: LinkSecrets): string {
  return `${trimEndOf(baseUrl, '/')}/u/${signUnsubscribeToken(claims, secrets)}`;
}
