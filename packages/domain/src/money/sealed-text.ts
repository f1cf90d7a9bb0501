import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Text sealed at rest with AES-256-GCM under DATA_KEY: `v1.<iv>.<tag>.<ciphertext>` (base64url). The key id
 * (first 8 hex of SHA-256 of the key) rides along so a rotated key is told apart from a tampered value.
 */
export interface DataKey {
  key: Buffer;
  id: string;
}

/** DATA_KEY: 32 bytes, as 64 hex digits or base64. */
export function parseDataKey(text: string): DataKey | null {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) return null;
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 8) };
}

export function sealText(plain: string, dataKey: DataKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey.key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
  return ['v1', dataKey.id, ...parts].join('.');
}

/** The plain text, or null when the value was sealed under another key or altered. */
export function openText(sealed: string, dataKey: DataKey): string | null {
  const [version, keyId, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || keyId !== dataKey.id || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
