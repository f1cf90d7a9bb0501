import { BlockList, isIP } from 'node:net';

/**
 * Which addresses an outbound webhook may connect to: global unicast only (SSRF). IPv4 loses the private,
 * shared, loopback, link-local (cloud metadata at 169.254.169.254), documentation, benchmarking, multicast and
 * reserved ranges (IANA special-purpose registry); IPv6 must be inside 2000::/3 (global unicast), which leaves
 * out ::1, ::, fc00::/7, fe80::/10, ff00::/8 and IPv4-mapped ::ffff:0:0/96, and loses the documentation,
 * Teredo/ORCHID and 6to4 blocks that can embed or reach arbitrary IPv4 addresses.
 */
const V4_REFUSED: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const V6_REFUSED: Array<[string, number]> = [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
];

const v4Refused = new BlockList();
for (const [net, bits] of V4_REFUSED) v4Refused.addSubnet(net, bits, 'ipv4');
const v6Global = new BlockList();
v6Global.addSubnet('2000::', 3, 'ipv6');
const v6Refused = new BlockList();
for (const [net, bits] of V6_REFUSED) v6Refused.addSubnet(net, bits, 'ipv6');

/** Whether `address` (an IP literal, IPv6 without brackets) is a global unicast address. */
export function isGlobalUnicast(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !v4Refused.check(address, 'ipv4');
  if (family === 6) return v6Global.check(address, 'ipv6') && !v6Refused.check(address, 'ipv6');
  return false;
}

/** `[::1]` → `::1`: URL hostnames keep IPv6 literals in brackets. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
