import { describe, expect, it } from 'vitest';
import { workerEnvSchema } from '../config.js';
import { chooseProvider } from './choose-provider.js';

const parse = (env: Record<string, string>) => workerEnvSchema.safeParse(env);
const config = (env: Record<string, string>) => {
  const parsed = parse(env);
  if (!parsed.success) throw new Error(parsed.error.message);
  return parsed.data;
};

describe('payout provider configuration', () => {
  it('is manual when PAYPAL_BASE_URL is unset, and never defaults to PayPal outside production', () => {
    expect(chooseProvider(config({})).provider.name).toBe('manual');
    const off = chooseProvider(config({ PAYOUT_PROVIDER: 'paypal' }));
    expect(off.provider.name).toBe('manual');
    expect(off.note).toMatch(/PAYPAL_BASE_URL is not set.*off/);
  });

  it('is PayPal when PAYPAL_BASE_URL is set, and names only the origin', () => {
    const chosen = chooseProvider(
      config({ PAYPAL_BASE_URL: 'http://127.0.0.1:8091', PAYPAL_CLIENT_ID: 'id', PAYPAL_CLIENT_SECRET: 's3cret' }),
    );
    expect(chosen.provider.name).toBe('paypal');
    expect(chosen.note).toBe('payouts: PayPal at http://127.0.0.1:8091');
    expect(chosen.note).not.toContain('s3cret');
  });

  it('lets an operator keep manual payouts even with PayPal configured', () => {
    const env = { PAYOUT_PROVIDER: 'manual', PAYPAL_BASE_URL: 'http://127.0.0.1:8091' };
    expect(chooseProvider(config(env)).provider.name).toBe('manual');
  });

  it('names the missing credential', () => {
    const parsed = parse({ PAYPAL_BASE_URL: 'http://127.0.0.1:8091', PAYPAL_CLIENT_ID: 'id' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['PAYPAL_CLIENT_SECRET']);
  });

  it('requires credentials in production, where PayPal is the default URL', () => {
    const parsed = parse({ NODE_ENV: 'production', PAYOUT_PROVIDER: 'paypal', LINK_SECRET: 'x'.repeat(16) });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toContain('PAYPAL_CLIENT_ID');
  });

  it('refuses a base URL that is not an http(s) origin', () => {
    expect(parse({ PAYPAL_BASE_URL: 'ftp://paypal.example' }).success).toBe(false);
    expect(parse({ PAYPAL_BASE_URL: 'https://api-m.paypal.com/v1' }).success).toBe(false);
  });
});
