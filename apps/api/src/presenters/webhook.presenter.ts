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
/**
 * The keyset of a cursor this API gave for the endpoint's log, or null: the time is whole milliseconds (digits
 * only) and the id one of the endpoint's deliveries (`<endpointId>-msg_…`), so a made-up cursor is refused, not
 * read as an empty page.
 */
export function parseDeliveryCursor(cursor: string, endpointId: string): { at: Date; id: string } | null {
  const cut = cursor.indexOf('_');
  const digits = cursor.slice(0, cut);
  if (cut < 1 || cut > 15 || [...digits].some((c) => c < '0' || c > '9')) return null;
  const id = cursor.slice(cut + 1);
  const prefix = `${endpointId}-msg_`;
  if (!id.startsWith(prefix) || id.length === prefix.length) return null;
  return { at: new Date(Number(digits)), id };
}
