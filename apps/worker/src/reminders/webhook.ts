import { createHmac } from 'node:crypto';

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

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs a reminder; throws on a network error, a timeout or a non-2xx answer, so the job is retried. */
export async function deliverReminder(
  url: string,
  payload: ReminderWebhookBody,
  secret: string,
  timeoutMs: number,
): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Seedline-Signature': signBody(body, secret),
      'X-Seedline-Reminder-Id': payload.id,
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new Error(`answered HTTP ${res.status}`);
  return res.status;
}
