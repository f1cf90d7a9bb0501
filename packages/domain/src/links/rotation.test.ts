import { describe, expect, it } from 'vitest';
import { LinkKeyring } from './keyring.js';
import { signLegacyLinkToken, signLinkToken, verifyLinkToken } from './token.js';
import { signLegacyUnsubscribeToken, signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token.js';

const campaignId = '0123456789abcdef01234567';
const influencerId = 'fedcba9876543210fedcba98';
const OLD = 'old-link-secret-aaaaaaaaaaaaaaaaaaaaaaaa';
const NEW = 'new-link-secret-bbbbbbbbbbbbbbbbbbbbbbbb';
const claims = { kind: 'purchase', campaignId, influencerId } as const;

describe('link secret rotation', () => {
  const rotated = new LinkKeyring([NEW, OLD]);

  it('signs with the newest secret and names it by key id', () => {
    const token = signLinkToken(claims, rotated);
    expect(verifyLinkToken(token, NEW)).toEqual(claims);
    expect(verifyLinkToken(token, OLD)).toBeNull();
    expect(Buffer.from(token, 'base64url').subarray(1, 5)).toEqual(rotated.current.kid);
  });

  it('keeps tokens signed with an older secret valid while it is listed', () => {
    const sentBefore = signLinkToken(claims, OLD);
    expect(verifyLinkToken(sentBefore, rotated)).toEqual(claims);
    expect(verifyLinkToken(sentBefore, [NEW])).toBeNull();
    const unsub = signUnsubscribeToken({ campaignId, influencerId }, OLD);
    expect(verifyUnsubscribeToken(unsub, rotated)).toEqual({ campaignId, influencerId });
    expect(verifyUnsubscribeToken(unsub, NEW)).toBeNull();
  });

  it('verifies tokens made before key ids with every listed secret', () => {
    const legacy = signLegacyLinkToken({ ...claims, kind: 'submit' }, OLD);
    expect(legacy).toHaveLength(55);
    expect(verifyLinkToken(legacy, rotated)).toEqual({ ...claims, kind: 'submit' });
    expect(verifyLinkToken(legacy, [NEW])).toBeNull();
    const legacyUnsub = signLegacyUnsubscribeToken({ campaignId, influencerId }, OLD);
    expect(legacyUnsub).toHaveLength(54);
    expect(verifyUnsubscribeToken(legacyUnsub, rotated)).toEqual({ campaignId, influencerId });
    expect(verifyUnsubscribeToken(legacyUnsub, NEW)).toBeNull();
    // Neither kind is ever taken for the other, old or new.
    expect(verifyLinkToken(legacyUnsub, rotated)).toBeNull();
    expect(verifyUnsubscribeToken(legacy, rotated)).toBeNull();
  });

  it('refuses a key id swapped for another listed one', () => {
    const token = Buffer.from(signLinkToken(claims, OLD), 'base64url');
    rotated.current.kid.copy(token, 1);
    expect(verifyLinkToken(token.toString('base64url'), rotated)).toBeNull();
  });
});
