import { describe, expect, it } from 'vitest';
import { ProxyTrust } from './client-address.js';
import { trustProxy } from './trust-proxy.js';

describe('TRUST_PROXY', () => {
  it('defaults to loopback only: a private-range peer is no longer believed', () => {
    const entries = trustProxy.parse(undefined);
    expect(entries).toEqual(['loopback']);
    const trust = new ProxyTrust(entries);
    expect(trust.trusts('127.0.0.1')).toBe(true);
    expect(trust.trusts('::1')).toBe(true);
    expect(['10.0.0.1', '192.168.1.1', '172.16.0.1', 'fd00::1'].filter((a) => trust.trusts(a))).toEqual([]);
  });

  it('takes CIDRs and addresses, IPv4 and IPv6, beside range names', () => {
    const trust = new ProxyTrust(trustProxy.parse(' 10.42.0.0/16, fd12:3456::/32 ,loopback,192.0.2.9'));
    expect(['10.42.255.1', 'fd12:3456::9', '127.0.0.2', '192.0.2.9'].filter((a) => !trust.trusts(a))).toEqual([]);
    expect(['10.43.0.1', 'fd12:3457::1', '192.0.2.10', '::ffff:8.8.8.8'].filter((a) => trust.trusts(a))).toEqual([]);
  });

  it('refuses what is not a CIDR, an address or a range name, naming the entry', () => {
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'everything', '10.0.0.0/8x', '10.0.0/8']) {
      const result = trustProxy.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0]?.message).toContain(bad);
    }
  });
});
