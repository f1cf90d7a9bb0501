import { createHmac } from 'node:crypto';

/**
 * Salted hash of a client address: lets repeated clicks and bots be told apart without the address itself
 * ever being stored or logged. Recent results are kept, as one visitor usually sends several requests and an
 * HMAC per redirect is measurable on the hot path.
 */
export class IpHasher {
  private readonly recent = new Map<string, string>();

  constructor(
    private readonly secret: string,
    private readonly maxEntries = 10_000,
  ) {}

  hash(ip: string | undefined): string | undefined {
    if (!ip) return undefined;
    let hashed = this.recent.get(ip);
    if (hashed === undefined) {
      hashed = createHmac('sha256', `ip-salt:${this.secret}`).update(ip).digest('hex').slice(0, 32);
      if (this.recent.size >= this.maxEntries) this.recent.clear();
      this.recent.set(ip, hashed);
    }
    return hashed;
  }
}
