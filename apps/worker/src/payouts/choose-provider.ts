import type { WorkerConfig } from '../config.js';
import { ManualProvider } from './manual.provider.js';
import { PayPalClient } from './paypal.client.js';
import { PayPalProvider } from './paypal.provider.js';
import type { PayoutProvider } from './provider.js';

/** PayPal's live API: the default in production only, so a test or a laptop never reaches it by accident. */
export const PAYPAL_LIVE_URL = 'https://api-m.paypal.com';

/** The operator's provider, and one line for the start log saying which and why. */
export function chooseProvider(config: WorkerConfig): { provider: PayoutProvider; note: string } {
  const baseUrl = config.PAYPAL_BASE_URL || (config.NODE_ENV === 'production' ? PAYPAL_LIVE_URL : undefined);
  const wanted = config.PAYOUT_PROVIDER ?? (config.PAYPAL_BASE_URL ? 'paypal' : 'manual');
  if (wanted === 'manual') {
    return { provider: new ManualProvider(), note: 'payouts: manual (the brand pays and records each payout)' };
  }
  if (!baseUrl) {
    return {
      provider: new ManualProvider(),
      note: 'payouts: PAYPAL_BASE_URL is not set, so the PayPal provider is off; approved reimbursements wait',
    };
  }
  const client = new PayPalClient({
    baseUrl,
    clientId: config.PAYPAL_CLIENT_ID ?? '',
    clientSecret: config.PAYPAL_CLIENT_SECRET ?? '',
    timeoutMs: config.PAYPAL_TIMEOUT_MS,
  });
  return { provider: new PayPalProvider(client), note: `payouts: PayPal at ${new URL(baseUrl).origin}` };
}
