import { describe, expect, it } from 'vitest';
import { verifyCaption } from './verify.js';

const req = { hashtags: ['ad', 'AcmeSpring'], mentions: ['acme.co'] };

describe('caption verification', () => {
  it('accepts whole tokens, case-insensitively', () => {
    expect(verifyCaption('Loving it! #AD #acmespring thanks @Acme.co.', req)).toMatchObject({
      accepted: true,
      reasons: [],
    });
  });
  it('names every missing requirement', () => {
    const v = verifyCaption('#adventure with @acme.company #acmespring', req);
    expect(v.accepted).toBe(false);
    expect(v.missingHashtags).toEqual(['ad']);
    expect(v.missingMentions).toEqual(['acme.co']);
    expect(v.reasons).toEqual(['caption is missing the hashtag #ad', 'caption is missing the mention @acme.co']);
  });
  it('does not take an e-mail address for a mention or a fragment for a hashtag', () => {
    expect(verifyCaption('mail me: jane@acme.co or see a#ad', req).accepted).toBe(false);
  });
  it('accepts anything when the campaign requires nothing, and an empty caption fails requirements', () => {
    expect(verifyCaption(undefined, { hashtags: [], mentions: [] }).accepted).toBe(true);
    expect(verifyCaption('', req).reasons).toHaveLength(3);
  });
});
