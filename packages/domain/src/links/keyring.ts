import { createHmac } from 'node:crypto';

/**
 * The link secrets in force, newest first (`LINK_SECRETS`). New tokens are signed with the newest and carry its
 * key id; a token is verified with the secret its key id names, or, for tokens made before key ids existed,
 * with each secret in turn. So LINK_SECRET can rotate: put the new one first, keep the old one until the links
 * signed with it no longer matter.
 */
export interface LinkKey {
  secret: string;
  /** 4 bytes derived from the secret: public, names the key without revealing it */
  kid: Buffer;
}

export const KEY_ID_BYTES = 4;
const keyId = (secret: string) =>
  createHmac('sha256', secret).update('seedline-link-key-id').digest().subarray(0, KEY_ID_BYTES);

export class LinkKeyring {
  readonly keys: readonly LinkKey[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new TypeError('a keyring needs at least one secret');
    this.keys = secrets.map((secret) => ({ secret, kid: keyId(secret) }));
  }

  /** A keyring as given, or one of a single secret (a string). */
  static of(secrets: string | readonly string[] | LinkKeyring): LinkKeyring {
    if (secrets instanceof LinkKeyring) return secrets;
    return new LinkKeyring(typeof secrets === 'string' ? [secrets] : secrets);
  }

  /** the key new tokens are signed with */
  get current(): LinkKey {
    return this.keys[0] as LinkKey;
  }

  /** the keys a token's key id names (two secrets sharing a 4-byte id are both tried) */
  withKid(kid: Buffer): LinkKey[] {
    return this.keys.filter((k) => k.kid.equals(kid));
  }
}
