import { BoundedCache, verifyLinkToken, type LinkClaims, type LinkKeyring } from '@seedline/domain';

/**
 * Link-token verification with the valid tokens remembered: a campaign's links are clicked over and over,
 * and the HMAC is the largest single cost of a redirect. Only tokens that verified are kept, so forged ones
 * cannot crowd the cache, and each is checked in full the first time it is seen.
 */
export class TokenVerifier {
  private readonly valid: BoundedCache<string, LinkClaims | null>;

  constructor(
    private readonly secrets: LinkKeyring,
    maxEntries = 50_000,
  ) {
    this.valid = new BoundedCache(maxEntries);
  }

  verify(token: string): LinkClaims | null {
    return this.valid.getOrCompute(token, () => verifyLinkToken(token, this.secrets));
  }
}
