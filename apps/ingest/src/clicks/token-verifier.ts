import { verifyLinkToken, type LinkClaims } from '@seedline/domain';

/**
 * Link-token verification with the valid tokens remembered: a campaign's links are clicked over and over,
 * and the HMAC is the largest single cost of a redirect. Only tokens that verified are kept, so forged ones
 * cannot crowd the cache, and each is checked in full the first time it is seen.
 */
export class TokenVerifier {
  private readonly valid = new Map<string, LinkClaims>();

  constructor(
    private readonly secret: string,
    private readonly maxEntries = 50_000,
  ) {}

  verify(token: string): LinkClaims | null {
    const known = this.valid.get(token);
    if (known) return known;
    const claims = verifyLinkToken(token, this.secret);
    if (claims) {
      if (this.valid.size >= this.maxEntries) this.valid.clear();
      this.valid.set(token, claims);
    }
    return claims;
  }
}
