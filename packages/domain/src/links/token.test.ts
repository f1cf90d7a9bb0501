import { describe, expect, it } from 'vitest';
import { signLinkToken, verifyLinkToken } from './token.js';
import { buildInfluencerLinks } from './links.js';

const campaignId = '0123456789abcdef01234567';
const influencerId = 'fedcba9876543210fedcba98';
const secret = 'test-secret-0123456789';

describe('link tokens', () => {
  it('round-trips each kind', () => {
    for (const kind of ['purchase', 'review', 'submit'] as const) {
      const token = signLinkToken({ kind, campaignId, influencerId }, secret);
      expect(token).toMatch(/^[A-Za-z0-9_-]{60}$/);
      expect(verifyLinkToken(token, secret)).toEqual({ kind, campaignId, influencerId });
    }
  });

  it('rejects another secret, truncation, extension and every single-character change', () => {
    const token = signLinkToken({ kind: 'purchase', campaignId, influencerId }, secret);
    expect(verifyLinkToken(token, 'another-secret-0123456789')).toBeNull();
    expect(verifyLinkToken(token.slice(0, -1), secret)).toBeNull();
    expect(verifyLinkToken(`${token}A`, secret)).toBeNull();
    expect(verifyLinkToken('', secret)).toBeNull();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const other = alphabet[(alphabet.indexOf(token[i] as string) + 1) % alphabet.length] as string;
      expect(verifyLinkToken(token.slice(0, i) + other + token.slice(i + 1), secret)).toBeNull();
    }
  });

  it('rejects a token re-pointed at another campaign', () => {
    const token = signLinkToken({ kind: 'purchase', campaignId, influencerId }, secret);
    const raw = Buffer.from(token, 'base64url');
    raw[5] = (raw[5] ?? 0) ^ 0xff;
    expect(verifyLinkToken(raw.toString('base64url'), secret)).toBeNull();
  });

  it('refuses to sign ids that are not 24 hex characters', () => {
    expect(() => signLinkToken({ kind: 'review', campaignId: 'nope', influencerId }, secret)).toThrow(TypeError);
  });

  it('builds the three personal links under the public base URL', () => {
    const links = buildInfluencerLinks('https://go.example.com/', campaignId, influencerId, secret);
    expect(links.purchase).toMatch(/^https:\/\/go\.example\.com\/l\/[\w-]{60}$/);
    expect(links.submit).toMatch(/^https:\/\/go\.example\.com\/s\/[\w-]{60}$/);
    expect(verifyLinkToken(links.review.split('/l/')[1] as string, secret)?.kind).toBe('review');
  });
});
