import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openText, parseDataKey, sealText } from './sealed-text.js';

describe('sealed text', () => {
  const key = parseDataKey(randomBytes(32).toString('hex'))!;
  it('round-trips and never holds the clear text', () => {
    const sealed = sealText('someone@example.com', key);
    expect(sealed).not.toContain('someone');
    expect(sealText('someone@example.com', key)).not.toBe(sealed);
    expect(openText(sealed, key)).toBe('someone@example.com');
  });
  it('refuses another key, a tampered value and a bad key', () => {
    const sealed = sealText('a@b.co', key);
    expect(openText(sealed, parseDataKey(randomBytes(32).toString('base64'))!)).toBeNull();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('x@b.co').toString('base64url');
    expect(openText(parts.join('.'), key)).toBeNull();
    expect(parseDataKey('short')).toBeNull();
  });
});
