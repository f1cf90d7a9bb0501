import { createHmac, timingSafeEqual } from 'node:crypto';
import { KEY_ID_BYTES, LinkKeyring } from './keyring.js';

/**
 * Tracked-link and submit tokens: `kind | keyId | campaignId | influencerId | HMAC-SHA256(secret)[0..16]`,
 * packed in binary and base64url-encoded (60 characters). The key id names which of the `LINK_SECRETS` signed
 * it (see keyring.ts). Tokens made before key ids existed (`kind | campaignId | influencerId | HMAC`, 55
 * characters) still verify against each secret. Unguessable without the secret; any change to any byte, a
 * truncation or a signature made with another secret fails verification.
 */
export const LINK_KINDS = ['purchase', 'review', 'submit'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface LinkClaims {
  kind: LinkKind;
  campaignId: string;
  influencerId: string;
}

export type LinkSecrets = string | readonly string[] | LinkKeyring;

const KIND_BYTE: Record<LinkKind, number> = { purchase: 1, review: 2, submit: 3 };
const SIG_BYTES = 16;
const IDS_BYTES = 12 + 12;
const LEGACY_BODY = 1 + IDS_BYTES;
const BODY_BYTES = 1 + KEY_ID_BYTES + IDS_BYTES;
const chars = (bytes: number) => Math.ceil((bytes * 4) / 3);
export const LINK_TOKEN_LENGTH = chars(BODY_BYTES + SIG_BYTES);
const LEGACY_LENGTH = chars(LEGACY_BODY + SIG_BYTES);
const HEX24 = /^[0-9a-f]{24}$/;

function ids(claims: LinkClaims): Buffer {
  if (!HEX24.test(claims.campaignId) || !HEX24.test(claims.influencerId)) {
    throw new TypeError('campaignId and influencerId must be 24 lower-case hex characters');
  }
  return Buffer.concat([Buffer.from(claims.campaignId, 'hex'), Buffer.from(claims.influencerId, 'hex')]);
}

export function signLinkToken(claims: LinkClaims, secrets: LinkSecrets): string {
  const key = LinkKeyring.of(secrets).current;
  const body = Buffer.concat([Buffer.from([KIND_BYTE[claims.kind]]), key.kid, ids(claims)]);
  return Buffer.concat([body, sign(body, key.secret)]).toString('base64url');
}

/** A token as made before key ids: for tests of old links and nothing else. */
export function signLegacyLinkToken(claims: LinkClaims, secret: string): string {
  const body = Buffer.concat([Buffer.from([KIND_BYTE[claims.kind]]), ids(claims)]);
  return Buffer.concat([body, sign(body, secret)]).toString('base64url');
}

export function verifyLinkToken(token: string, secrets: LinkSecrets): LinkClaims | null {
  if (typeof token !== 'string' || (token.length !== LINK_TOKEN_LENGTH && token.length !== LEGACY_LENGTH)) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  // base64url has several spellings of the same bytes in its last character: accept only the canonical one.
  if (raw.toString('base64url') !== token) return null;
  const legacy = token.length === LEGACY_LENGTH;
  const bodyBytes = legacy ? LEGACY_BODY : BODY_BYTES;
  if (raw.length !== bodyBytes + SIG_BYTES) return null;
  const body = raw.subarray(0, bodyBytes);
  const keyring = LinkKeyring.of(secrets);
  const keys = legacy ? keyring.keys : keyring.withKid(body.subarray(1, 1 + KEY_ID_BYTES));
  const signature = raw.subarray(bodyBytes);
  if (!keys.some((k) => timingSafeEqual(signature, sign(body, k.secret)))) return null;
  const kind = LINK_KINDS.find((k) => KIND_BYTE[k] === body[0]);
  if (!kind) return null;
  const at = legacy ? 1 : 1 + KEY_ID_BYTES;
  return {
    kind,
    campaignId: body.subarray(at, at + 12).toString('hex'),
    influencerId: body.subarray(at + 12, at + 24).toString('hex'),
  };
}

function sign(body: Buffer, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest().subarray(0, SIG_BYTES);
}
