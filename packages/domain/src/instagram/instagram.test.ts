import { describe, expect, it } from 'vitest';
import { normalizeHandle } from './handle.js';
import { parseInstagramPostUrl } from './post-url.js';
import { influencerIdFor } from '../influencer/influencer-id.js';

describe('Instagram handles', () => {
  it('drops a leading @, lower-cases and trims', () => {
    expect(normalizeHandle('@Jane.Doe_')).toBe('jane.doe_');
    expect(normalizeHandle('  someone ')).toBe('someone');
  });
  it('refuses what Instagram would refuse', () => {
    for (const bad of [
      '',
      '@',
      'a'.repeat(31),
      'jane doe',
      'jane-doe',
      'ünï',
      '@@jane',
      '{"$gt":""}',
      'K\u212Aelvin',
    ]) {
      expect(normalizeHandle(bad)).toBeNull();
    }
    expect(normalizeHandle('a'.repeat(30))).toBe('a'.repeat(30));
  });
  it('gives the same influencer id for the same campaign and handle only', () => {
    const c = '0123456789abcdef01234567';
    expect(influencerIdFor(c, 'jane')).toBe(influencerIdFor(c, 'jane'));
    expect(influencerIdFor(c, 'jane')).not.toBe(influencerIdFor(c, 'john'));
    expect(influencerIdFor(c, 'jane')).not.toBe(influencerIdFor('1123456789abcdef01234567', 'jane'));
    expect(influencerIdFor(c, 'jane')).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('Instagram post URLs', () => {
  it('accepts posts and reels, with or without www and a query string', () => {
    expect(parseInstagramPostUrl('https://www.instagram.com/p/Cabc_12-3/')).toEqual({
      kind: 'p',
      shortcode: 'Cabc_12-3',
      url: 'https://www.instagram.com/p/Cabc_12-3/',
    });
    expect(parseInstagramPostUrl('https://instagram.com/reel/XyZ12345?igsh=abc')?.url).toBe(
      'https://www.instagram.com/reel/XyZ12345/',
    );
  });
  it('refuses everything else', () => {
    for (const bad of [
      'http://www.instagram.com/p/Cabc123/',
      'https://instagram.com.evil.com/p/Cabc123/',
      'https://www.instagram.com/stories/jane/123/',
      'https://www.instagram.com/jane/',
      'https://user:pw@instagram.com/p/Cabc123/',
      'https://www.instagram.com/p/',
      'not a url',
    ]) {
      expect(parseInstagramPostUrl(bad)).toBeNull();
    }
  });
});
