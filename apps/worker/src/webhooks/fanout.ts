import { newDelivery, type Repositories } from '@seedline/db';
import { endpointWants, sequenceKey, webhookBody, type WebhookEventDraft } from '@seedline/domain';
import { deliveryIdFor, queueAttempt, type Queues } from '@seedline/runtime';

/**
 * Numbers each event (per influencer, or per campaign) and records one delivery per subscribed endpoint, before
 * any attempt; then queues each delivery's first attempt. A repeat of the same events finds every record and
 * queues nothing new (job ids per delivery and step).
 */
export async function fanOut(repos: Repositories, queues: Queues, events: WebhookEventDraft[]): Promise<number> {
  const endpointsOf = new Map<string, Awaited<ReturnType<Repositories['webhookEndpoints']['enabledFor']>>>();
  let queued = 0;
  for (const e of events) {
    let endpoints = endpointsOf.get(e.brandId);
    if (!endpoints) {
      endpoints = await repos.webhookEndpoints.enabledFor(e.brandId);
      endpointsOf.set(e.brandId, endpoints);
    }
    const targets = endpoints.filter((ep) => endpointWants(ep.events, e.type));
    if (targets.length === 0) continue;
    const body = await repos.webhookDeliveries.recordMessage(e.id, sequenceKey(e), (sequence) =>
      webhookBody(e.type, e.occurredAt, { ...e.data, sequence }),
    );
    const now = new Date();
    const docs = targets.map((ep) =>
      newDelivery(
        {
          _id: deliveryIdFor(ep._id, e.id),
          endpointId: ep._id,
          brandId: e.brandId,
          messageId: e.id,
          type: e.type,
          body,
        },
        now,
      ),
    );
    const ids = await repos.webhookDeliveries.recordDeliveries(docs);
    await queueAttempt(queues, ids, 0, 0);
    queued += ids.length;
  }
  return queued;
}
