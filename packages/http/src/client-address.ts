import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** The named address ranges of Express's `trust proxy` setting (proxy-addr's). */
const RANGES = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
} as const;
export type ProxyRange = keyof typeof RANGES;

const isRangeName = (entry: string): entry is ProxyRange => Object.hasOwn(RANGES, entry);

/**
 * One `TRUST_PROXY` entry: a range name (`loopback`, `linklocal`, `uniquelocal`), an address, or a CIDR
 * (`10.0.0.0/8`, `fd00::/8`). Returns why it is not one, or null.
 */
export function proxyEntryProblem(entry: string): string | null {
  if (isRangeName(entry)) return null;
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return `${entry} is neither an address, a CIDR nor one of ${Object.keys(RANGES).join(', ')}`;
  if (slash < 0) return null;
  const prefix = entry.slice(slash + 1);
  const max = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `${entry} has a prefix length outside 0-${max}`;
  return null;
}

/**
 * Which proxies' `X-Forwarded-For` is believed, and the client address that follows from it, for a route
 * served without Express: the same answer as Express's `req.ip` under `trust proxy` set to `ranges` (a test
 * compares the two), from a native address list instead of parsing every hop into objects.
 */
export class ProxyTrust {
  private readonly list = new BlockList();

  /** `ranges`: range names, addresses or CIDRs, each checked by `proxyEntryProblem` (config does it first). */
  constructor(readonly ranges: readonly string[]) {
    for (const entry of ranges) {
      const problem = proxyEntryProblem(entry);
      if (problem) throw new Error(`trusted proxy ${problem}`);
      if (isRangeName(entry)) {
        for (const [net, prefix, type] of RANGES[entry]) this.list.addSubnet(net, prefix, type);
        continue;
      }
      const [address = entry, prefix] = entry.split('/');
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
  }

  /** The value for `app.set('trust proxy', …)`, so Express trusts the same proxies. */
  get expressSetting(): string[] {
    return [...this.ranges];
  }

  trusts(address: string): boolean {
    const zone = address.indexOf('%');
    const plain = zone < 0 ? address : address.slice(0, zone);
    const version = isIP(plain);
    return version !== 0 && this.list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * The socket's address, or while it is a trusted proxy, the hop it forwarded for, right to left through
   * `X-Forwarded-For` (empty entries skipped, spaces trimmed, as proxy-addr reads it): the first hop not
   * trusted, or the leftmost one.
   */
  clientAddress(req: IncomingMessage): string | undefined {
    const socketAddress = req.socket.remoteAddress;
    const given = req.headers['x-forwarded-for'];
    // Node joins repeated X-Forwarded-For lines with ", " already; the array type is for other headers.
    const header = Array.isArray(given) ? given.join(', ') : given;
    if (socketAddress === undefined || !header || !this.trusts(socketAddress)) return socketAddress;
    let address = socketAddress;
    let end = header.length;
    let start = end;
    for (let i = header.length - 1; i >= -1; i--) {
      const ch = i < 0 ? 0x2c : header.charCodeAt(i);
      if (ch === 0x20) {
        if (start === end) start = end = i;
      } else if (ch === 0x2c) {
        if (start !== end) {
          address = header.substring(start, end);
          if (!this.trusts(address)) return address;
        }
        start = end = i;
      } else {
        start = i;
      }
    }
    return address;
  }
}
