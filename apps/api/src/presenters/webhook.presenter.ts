import type { WebhookDeliveryDoc, WebhookEndpointDoc } from '@seedline/db';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** An endpoint as the API shows it: never its secrets (shown once, at creation and rotation). */
export function presentEndpoint(e: WebhookEndpointDoc) {
  return {
    id: e._id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.disabledAt === null,
    disabledAt: iso(e.disabledAt),
    disabledReason: e.disabledReason,
    failingSince: iso(e.failingSince),
    createdAt: new Date(e.createdAt).toISOString(),
  };
}

export function presentDelivery(d: WebhookDeliveryDoc) {
  return {
    id: d._id,
    messageId: d.messageId,
    type: d.type,
    status: d.status,
    attempts: d.attempts.map((a) => ({
      at: new Date(a.at).toISOString(),
      status: a.status,
      durationMs: a.durationMs,
      response: a.response,
      error: a.error,
    })),
    nextAttemptAt: iso(d.nextAttemptAt),
    createdAt: new Date(d.createdAt).toISOString(),
  };
}

/** The keyset cursor of a delivery page: its last item's time and id. */
export const deliveryCursor = (d: WebhookDeliveryDoc) => `${new Date(d.createdAt).getTime()}_${d._id}`;
export function parseDeliveryCursor(cursor: string): { at: Date; id: string } | null {
  const cut = cursor.indexOf('_');
  const ms = Number(cursor.slice(0, cut));
  if (cut < 1 || !Number.isSafeInteger(ms)) return null;
  return { at: new Date(ms), id: cursor.slice(cut + 1) };
}
