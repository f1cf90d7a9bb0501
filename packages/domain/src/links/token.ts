import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tracked-link and submit tokens: `kind | campaignId | influencerId | HMAC-SHA256(secret)[0..16]`, packed in
 * binary and base64url-encoded (55 characters). Unguessable without LINK_SECRET; any change to any byte, a
 * truncation or a signature made with another secret fails verification.
 */
export const LINK_KINDS = ['purchase', 'review', 'submit'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface LinkClaims {
  kind: LinkKind;
  campaignId: string;
  influencerId: string;
}

const KIND_BYTE: Record<LinkKind, number> = { purchase: 1, review: 2, submit: 3 };
const SIG_BYTES = 16;
const BODY_BYTES = 1 + 12 + 12;
const TOKEN_LENGTH = Math.ceil(((BODY_BYTES + SIG_BYTES) * 4) / 3);
const HEX24 = /^[0-9a-f]{24}$/;

export function signLinkToken(claims: LinkClaims, secret: string): string {
  if (!HEX24.test(claims.campaignId) || !HEX24.test(claims.influencerId)) {
    throw new TypeError('campaignId and influencerId must be 24 lower-case hex characters');
  }
  const body = Buffer.concat([
    Buffer.from([KIND_BYTE[claims.kind]]),
    Buffer.from(claims.campaignId, 'hex'),
    Buffer.from(claims.influencerId, 'hex'),
  ]);
  return Buffer.concat([body, sign(body, secret)]).toString('base64url');
}

export function verifyLinkToken(token: string, secret: string): LinkClaims | null {
  if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== BODY_BYTES + SIG_BYTES) return null;
  // base64url has several spellings of the same bytes in its last character: accept only the canonical one.
  if (raw.toString('base64url') !== token) return null;
  const body = raw.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(raw.subarray(BODY_BYTES), sign(body, secret))) return null;
  const kind = LINK_KINDS.find((k) => KIND_BYTE[k] === body[0]);
  if (!kind) return null;
  return {
    kind,
    campaignId: body.subarray(1, 13).toString('hex'),
    influencerId: body.subarray(13, 25).toString('hex'),
  };
}

function sign(body: Buffer, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest().subarray(0, SIG_BYTES);
}
