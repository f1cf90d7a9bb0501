import { newDelivery, type WebhookRepositories } from '@seedline/db';
import { endpointWants, sequenceCounter, webhookBody, type WebhookEventDraft } from '@seedline/domain';
import { deliveryIdFor, queueAttempt, WriteBatcher, type Queues } from '@seedline/runtime';

export type FanOutBatcher = WriteBatcher<WebhookEventDraft, number>;

/**
 * How long a fan-out waits for the events of other jobs. Under load, events arrive a few per status write, and
 * each fan-out costs a numbering, three inserts and a delivery job whatever its size: gathered for 250 ms they
 * share them (webhooks are seconds away from their facts anyway; status updates never wait on this).
 */
const FAN_OUT_GATHER_MS = 250;

/**
 * The fan-outs of the jobs that arrive within FAN_OUT_GATHER_MS (or while earlier fan-outs wait for the status
 * writes to pause: `statusFirst`, once per fan-out) made as one: one
 * numbering and one delivery insert for all of them, and one attempts job per endpoint instead of one per job
 * and endpoint. Jobs sharing an influencer never meet in one batch: KeyOrder starts the later one only once the
 * earlier one's fan-out was written, so numbers still follow the order the facts were recorded.
 */
export function fanOutBatcher(
  repos: WebhookRepositories,
  queues: Queues,
  statusFirst: () => Promise<void>,
): FanOutBatcher {
  const write = async (events: WebhookEventDraft[]) => {
    // Once per fan-out, not per job: a job waiting here holds no other job's turn.
    await statusFirst();
    return fanOut(repos, queues, events);
  };
  return new WriteBatcher(write, {
    maxItems: 1000,
    maxInFlight: 2,
    lingerMs: FAN_OUT_GATHER_MS,
  });
}

/**
 * Numbers each event (from its brand's counter) and records one delivery per subscribed endpoint, before
 * any attempt; then queues each delivery's first attempt. The job's events are recorded together (a read, a
 * write per brand, and a few bulk writes), not one after another. A repeat of the same events finds
 * every record and queues nothing new (job ids per delivery and step).
 */
export async function fanOut(repos: WebhookRepositories, queues: Queues, events: WebhookEventDraft[]): Promise<number> {
  const endpointsOf = new Map<string, Awaited<ReturnType<WebhookRepositories['webhookEndpoints']['enabledFor']>>>();
  const wanted = new Map<string, { e: WebhookEventDraft; targets: string[] }>();
  for (const e of events) {
    if (wanted.has(e.id)) continue;
    let endpoints = endpointsOf.get(e.brandId);
    if (!endpoints) {
      endpoints = await repos.webhookEndpoints.enabledFor(e.brandId);
      endpointsOf.set(e.brandId, endpoints);
    }
    const targets = endpoints.filter((ep) => endpointWants(ep.events, e.type)).map((ep) => ep._id);
    if (targets.length > 0) wanted.set(e.id, { e, targets });
  }
  if (wanted.size === 0) return 0;
  const bodies = await repos.webhookDeliveries.recordMessages(
    [...wanted.values()].map(({ e }) => ({
      id: e.id,
      counter: sequenceCounter(e),
      render: (sequence: number) => webhookBody(e.type, e.occurredAt, { ...e.data, sequence }),
    })),
  );
  const now = new Date();
  const docs = [...wanted.values()].flatMap(({ e, targets }) =>
    targets.map((endpointId) =>
      newDelivery(
        {
          _id: deliveryIdFor(endpointId, e.id),
          endpointId,
          brandId: e.brandId,
          messageId: e.id,
          type: e.type,
          body: bodies.get(e.id) as string,
        },
        now,
      ),
    ),
  );
  const ids = await repos.webhookDeliveries.recordDeliveries(docs);
  await queueAttempt(queues, ids, 0, 0);
  return ids.length;
}
