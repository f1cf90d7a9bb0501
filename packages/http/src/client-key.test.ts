import { describe, expect, it } from 'vitest';
import { clientKey } from './client-key.js';

describe('clientKey', () => {
  it('counts IPv4 addresses one by one', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('::ffff:203.0.113.7');
    expect(clientKey(undefined)).toBe('unknown');
  });

  it('counts an IPv6 address by its /64, however it is spelled', () => {
    const key = clientKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const same of ['2001:db8:1:2:ffff::9', '2001:0DB8:0001:0002:0:0:0:abcd', '2001:db8:1:2:3:4:5:6'])
      expect(clientKey(same)).toBe(key);
    expect(clientKey('2001:db8:1:3::1')).not.toBe(key);
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('passes anything else through (it is only a counting key)', () => {
    expect(clientKey('not-an-ip')).toBe('not-an-ip');
    expect(clientKey('::zz')).toBe('::zz');
  });
});
