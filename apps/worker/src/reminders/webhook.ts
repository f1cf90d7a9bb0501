import { createHmac } from 'node:crypto';
import { standardWebhookHeaders, webhookMessageIdFor } from '@seedline/domain';

export interface ReminderWebhookBody {
  id: string;
  type: 'purchase_reminder' | 'review_reminder';
  attempt: number;
  campaignId: string;
  influencerId: string;
  instagramHandle: string | null;
  email: string | null;
  links: { purchase: string; review: string; submit: string };
}

/** Deprecated `X-Seedline-Signature`: the body only (replayable); kept for receivers written against it. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The headers of one attempt: the Standard Webhooks trio (`webhook-id` stable across attempts,
 * `webhook-timestamp` of this attempt, `webhook-signature` keyed by WEBHOOK_SECRET's UTF-8 bytes, which the
 * reference libraries verify with their raw-secret option) beside the deprecated body-only signature.
 */
export function reminderWebhookHeaders(payload: ReminderWebhookBody, body: string, secret: string, now = new Date()) {
  return {
    'Content-Type': 'application/json',
    ...standardWebhookHeaders(webhookMessageIdFor('reminder', payload.id), body, [Buffer.from(secret, 'utf8')], now),
    'X-Seedline-Signature': signBody(body, secret),
    'X-Seedline-Reminder-Id': payload.id,
  };
}

/**
 * POSTs a reminder; throws on a network error, a timeout or a non-2xx answer (a redirect included: it is never
 * followed, or signed personal data would be re-posted wherever it points), so the job is retried.
 */
export async function deliverReminder(
  url: string,
  payload: ReminderWebhookBody,
  secret: string,
  timeoutMs: number,
): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(url, {
    method: 'POST',
    headers: reminderWebhookHeaders(payload, body, secret),
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new Error(`answered HTTP ${res.status}`);
  return res.status;
}
