import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { BoundedCache } from '@seedline/domain';

/**
 * Salted hash of a client address: lets repeated clicks and bots be told apart without the address itself
 * ever being stored or logged. The key is prepared once (an HMAC from a string key re-derives it on every
 * call), and recent results are kept, as one visitor usually sends several requests.
 */
export class IpHasher {
  private readonly key: KeyObject;
  private readonly recent: BoundedCache<string, string>;

  constructor(secret: string, maxEntries = 10_000) {
    this.recent = new BoundedCache(maxEntries);
    this.key = createSecretKey(Buffer.from(`ip-salt:${secret}`));
  }

  hash(ip: string | undefined): string | undefined {
    if (!ip) return undefined;
    return this.recent.getOrCompute(ip, () => createHmac('sha256', this.key).update(ip).digest('hex').slice(0, 32));
  }
}
