/**
 * Where a tracked link may send people: https, no user-info, no port, on an Amazon retail host or on a host
 * the operator lists (`ALLOWED_REDIRECT_HOSTS`). Our link domain must never become an open redirect, so a
 * brand's `productUrl`/`reviewUrl` and every Amazon Attribution tag pass this one check. Hosts are matched
 * label by label, without regexes: the input is user-supplied.
 */

// Amazon's retail sites; `www.`, `smile.` and any other sub-domain of them are Amazon's too.
const AMAZON_RETAIL_DOMAINS = [
  'com',
  'ca',
  'de',
  'fr',
  'it',
  'es',
  'nl',
  'se',
  'pl',
  'in',
  'sg',
  'ae',
  'sa',
  'eg',
  'co.uk',
  'co.jp',
  'com.au',
  'com.mx',
  'com.br',
  'com.be',
  'com.tr',
].map((tld) => `amazon.${tld}`);

export const REDIRECT_URL_MAX = 2048;

/** `host` is `domain` or one of its sub-domains (each label non-empty). */
function isSubdomainOrSelf(host: string, domain: string, selfToo: boolean): boolean {
  if (host === domain) return selfToo;
  if (host.length <= domain.length + 1 || !host.endsWith(domain) || host[host.length - domain.length - 1] !== '.') {
    return false;
  }
  return host
    .slice(0, host.length - domain.length - 1)
    .split('.')
    .every((label) => label.length > 0);
}

export function isAmazonRetailHost(host: string): boolean {
  return AMAZON_RETAIL_DOMAINS.some((domain) => isSubdomainOrSelf(host, domain, true));
}

const HOST_CHARS = new Set('abcdefghijklmnopqrstuvwxyz0123456789-.');
function isHostName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  for (const ch of host) if (!HOST_CHARS.has(ch)) return false;
  return host.split('.').every((label) => label.length > 0 && label.length <= 63);
}

/**
 * Parses `ALLOWED_REDIRECT_HOSTS`: a comma list of exact hosts (`shop.example.com`) and `*.example.com`
 * (any sub-domain of example.com, not example.com itself). Returns the entries, or the first bad one.
 */
export function parseAllowedHosts(value: string): { ok: true; hosts: string[] } | { ok: false; entry: string } {
  const hosts: string[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const host = entry.startsWith('*.') ? entry.slice(2) : entry;
    if (!isHostName(host)) return { ok: false, entry: raw.trim() };
    hosts.push(entry);
  }
  return { ok: true, hosts };
}

export class RedirectAllowList {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];

  /** `hosts` as `parseAllowedHosts` returns them. */
  constructor(hosts: readonly string[] = []) {
    for (const h of hosts) {
      if (h.startsWith('*.')) this.suffixes.push(h.slice(2));
      else this.exact.add(h);
    }
  }

  allowsHost(host: string): boolean {
    return (
      isAmazonRetailHost(host) ||
      this.exact.has(host) ||
      this.suffixes.some((domain) => isSubdomainOrSelf(host, domain, false))
    );
  }

  /** Why `raw` may not be a redirect target, or null when it may. */
  refusal(raw: string): string | null {
    if (raw.length > REDIRECT_URL_MAX) return `must be at most ${REDIRECT_URL_MAX} characters`;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'must be a URL';
    }
    if (url.protocol !== 'https:') return 'must be an https:// URL';
    if (url.username || url.password) return 'must not carry a user name or password';
    if (url.port) return 'must not carry a port';
    if (!this.allowsHost(url.hostname)) {
      return `${url.hostname} is not an allowed redirect host (Amazon retail hosts, or ALLOWED_REDIRECT_HOSTS)`;
    }
    return null;
  }

  allows(raw: string): boolean {
    return this.refusal(raw) === null;
  }
}
