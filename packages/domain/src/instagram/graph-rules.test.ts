import { describe, expect, it } from 'vitest';
import { judgeMedia, samePost } from './judge.js';
import { parseGraphUsage, usageDelayMs } from './usage.js';
import { signHubBody, verifyHubSignature } from './webhook-signature.js';
import { tokenWarning } from './account.schema.js';

const req = { hashtags: ['ad'], mentions: ['acme'] };
const media = (username: string, caption: string) => ({
  id: '1',
  username,
  caption,
  permalink: 'https://www.instagram.com/reel/Abc123xyz/',
});

describe('judging an Instagram media', () => {
  it("accepts the influencer's own post whose caption on Instagram meets the rules", () => {
    expect(judgeMedia(media('Ava', 'so good #ad @acme'), 'ava', req)).toEqual({ outcome: 'verified', reasons: [] });
  });
  it("refuses someone else's post, and a caption missing a requirement, naming it", () => {
    expect(judgeMedia(media('bob', '#ad @acme'), 'ava', req).outcome).toBe('wrong_owner');
    expect(judgeMedia(media('ava', '@acme only'), 'ava', req).reasons).toEqual([
      "Instagram's caption is missing the hashtag #ad",
    ]);
  });
  it('matches the submitted post by shortcode, /p/ and /reel/ alike', () => {
    expect(samePost(media('ava', ''), 'Abc123xyz')).toBe(true);
    expect(samePost(media('ava', ''), 'Abc123xyZ')).toBe(false);
    expect(samePost({ id: '2' }, 'Abc123xyz')).toBe(false);
  });
});

describe('Graph API usage headers', () => {
  it('takes the highest percentage of X-App-Usage and X-Business-Use-Case-Usage, and the announced wait', () => {
    const bucket = JSON.stringify({
      '1784': [
        { type: 'instagram', call_count: 91, total_cputime: 12, total_time: 30, estimated_time_to_regain_access: 2 },
      ],
    });
    expect(parseGraphUsage('{"call_count":40,"total_cputime":5,"total_time":7}', bucket)).toEqual({
      percent: 91,
      regainSeconds: 120,
    });
    expect(parseGraphUsage(null, null)).toBeNull();
    expect(parseGraphUsage('not json', '{"x":"y"}')).toBeNull();
  });
  it('slows down only near the limit, and waits what Meta announced', () => {
    expect(usageDelayMs({ percent: 50, regainSeconds: 0 }, 5000)).toBe(0);
    expect(usageDelayMs({ percent: 85, regainSeconds: 0 }, 5000)).toBe(2500);
    expect(usageDelayMs({ percent: 130, regainSeconds: 0 }, 5000)).toBe(5000);
    expect(usageDelayMs({ percent: 100, regainSeconds: 60 }, 5000)).toBe(60_000);
  });
});

describe('X-Hub-Signature-256', () => {
  it('accepts the signature of the exact raw body only', () => {
    const body = Buffer.from('{"object":"instagram","entry":[]}');
    const sig = signHubBody(body, 'app-secret');
    expect(verifyHubSignature(body, sig, 'app-secret')).toBe(true);
    expect(verifyHubSignature(Buffer.from(`${body.toString()} `), sig, 'app-secret')).toBe(false);
    expect(verifyHubSignature(body, sig, 'other-secret')).toBe(false);
    expect(verifyHubSignature(body, undefined, 'app-secret')).toBe(false);
    expect(verifyHubSignature(body, 'sha256=zz', 'app-secret')).toBe(false);
  });
});

describe('token expiry warning', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('appears from the warning window before expiry and says when the token has expired', () => {
    const week = 7 * 86_400;
    expect(tokenWarning(new Date('2026-01-20T00:00:00Z'), now, week)).toBeUndefined();
    expect(tokenWarning(new Date('2026-01-05T00:00:00Z'), now, week)).toContain('2026-01-05');
    expect(tokenWarning(new Date('2025-12-31T00:00:00Z'), now, week)).toContain('expired');
    expect(tokenWarning(null, now, week)).toBeUndefined();
  });
});
