import { describe, expect, it } from 'vitest';
import { redactEmails } from './redact-emails.js';

describe('redactEmails', () => {
  it('removes every address from a mail server reply and keeps the rest', () => {
    expect(redactEmails('550 5.1.1 <ana.b+x@mail.example.com>: Recipient address rejected')).toBe(
      '550 5.1.1 <<redacted>>: Recipient address rejected',
    );
    expect(redactEmails('250 OK id=1 for a@b.io and c_d@e.example.org.')).toBe(
      '250 OK id=1 for <redacted> and <redacted>.',
    );
  });

  it('leaves text without an address alone', () => {
    for (const s of ['', '451 try later', 'user@localhost', '@example.com', 'a@', 'x @ y.com'])
      expect(redactEmails(s)).toBe(s);
  });

  it('stays linear on hostile input and caps the length', () => {
    const hostile = `${'a'.repeat(100_000)}@${'b.'.repeat(50_000)}`;
    const out = redactEmails(hostile);
    expect(out.length).toBeLessThanOrEqual(2_001);
    expect(redactEmails('@'.repeat(100_000)).length).toBe(2_001);
  });
});
