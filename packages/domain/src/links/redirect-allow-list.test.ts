import { describe, expect, it } from 'vitest';
import { isAmazonRetailHost, parseAllowedHosts, RedirectAllowList } from './redirect-allow-list.js';

describe('redirect allow-list', () => {
  const list = new RedirectAllowList(['shop.example', '*.brand.example']);

  it('allows https Amazon retail hosts and their sub-domains', () => {
    for (const url of [
      'https://www.amazon.com/dp/B0DEMO0001',
      'https://amazon.co.uk/dp/B0',
      'https://smile.amazon.de/x',
      'https://www.amazon.com.au/review/create-review?asin=B0',
    ]) {
      expect(list.refusal(url), url).toBeNull();
    }
  });

  it('allows exact listed hosts and sub-domains of *.host, not the bare host', () => {
    expect(list.allows('https://shop.example/p')).toBe(true);
    expect(list.allows('https://www.shop.example/p')).toBe(false);
    expect(list.allows('https://eu.brand.example/p')).toBe(true);
    expect(list.allows('https://a.b.brand.example/p')).toBe(true);
    expect(list.allows('https://brand.example/p')).toBe(false);
    expect(list.allows('https://evilbrand.example/p')).toBe(false);
  });

  it('refuses user-info, ports, http, look-alikes and other hosts', () => {
    const refused = {
      'https://amazon.com@evil.example/': 'user name',
      'https://user:pw@www.amazon.com/': 'user name',
      'https://www.amazon.com:8443/dp/B0': 'port',
      'http://www.amazon.com/dp/B0': 'https',
      'https://evil.example/': 'not an allowed',
      'https://amazon.com.evil.example/': 'not an allowed',
      'https://www.amazon.com.': 'not an allowed',
      'https://notamazon.com/': 'not an allowed',
      'https://evil.example\\@www.amazon.com/': 'not an allowed',
      'https://127.0.0.1/': 'not an allowed',
      'javascript:alert(1)': 'https',
      'not a url': 'URL',
      [`https://www.amazon.com/${'a'.repeat(2048)}`]: 'at most',
    };
    for (const [url, reason] of Object.entries(refused)) expect(list.refusal(url), url).toContain(reason);
  });

  it('matches Amazon hosts label by label', () => {
    expect(isAmazonRetailHost('amazon.com')).toBe(true);
    expect(isAmazonRetailHost('www.amazon.co.jp')).toBe(true);
    expect(isAmazonRetailHost('.amazon.com')).toBe(false);
    expect(isAmazonRetailHost('a..amazon.com')).toBe(false);
    expect(isAmazonRetailHost('amazon.co')).toBe(false);
    expect(isAmazonRetailHost('xamazon.com')).toBe(false);
  });

  it('parses ALLOWED_REDIRECT_HOSTS and names a bad entry', () => {
    expect(parseAllowedHosts(' Shop.Example , *.brand.example,,')).toEqual({
      ok: true,
      hosts: ['shop.example', '*.brand.example'],
    });
    expect(parseAllowedHosts('')).toEqual({ ok: true, hosts: [] });
    for (const bad of ['https://shop.example', 'shop.example:443', '*', '*.', 'a..b', 'sh op.example', '**.x.y']) {
      expect(parseAllowedHosts(`ok.example,${bad}`), bad).toEqual({ ok: false, entry: bad });
    }
  });
});
