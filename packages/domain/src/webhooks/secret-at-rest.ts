import { openText, sealText, type DataKey } from '../money/sealed-text.js';
import { WEBHOOK_SECRET_PREFIX } from './signature.js';

/**
 * Endpoint secrets at rest: sealed under DATA_KEY (`v1.…`, see sealed-text.ts), like payout addresses. Endpoints
 * saved before secrets were sealed hold the plain `whsec_…`; both are read, and a plain one is sealed the first
 * time it is used (the worker) or at the api's start.
 */
export function sealWebhookSecret(secret: string, dataKey: DataKey): string {
  return sealText(secret, dataKey);
}

/** Whether a stored secret is still the plain `whsec_…` of an endpoint saved before sealing. */
export function isPlainWebhookSecret(stored: string): boolean {
  return stored.startsWith(WEBHOOK_SECRET_PREFIX);
}

/** The `whsec_…` secret, or null when it was sealed under another DATA_KEY or altered. */
export function openWebhookSecret(stored: string, dataKey: DataKey): string | null {
  if (isPlainWebhookSecret(stored)) return stored;
  const plain = openText(stored, dataKey);
  return plain !== null && isPlainWebhookSecret(plain) ? plain : null;
}
