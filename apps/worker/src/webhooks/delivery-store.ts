import type {
  AttemptRecord,
  AttemptRef,
  WebhookDeliveryDoc,
  WebhookEndpointDoc,
  WebhookRepositories,
} from '@seedline/db';
import { WriteBatcher } from '@seedline/runtime';

const BATCH = { maxItems: 200, maxInFlight: 2 };

/**
 * What concurrent attempts read and record, gathered like click writes: the attempts that start together read
 * their deliveries in one query and their endpoints in another, and those that end together record their
 * outcomes in one bulk write (gathered a moment longer: only their jobs wait on them). Every read is still made
 * after its job started (no cache): a delivery's state and an endpoint's secrets, URL and `disabledAt` are the
 * database's at that moment.
 */
export class DeliveryStore {
  private readonly deliveries: WriteBatcher<AttemptRef, Map<string, WebhookDeliveryDoc>>;
  private readonly endpoints: WriteBatcher<string, Map<string, WebhookEndpointDoc>>;
  private readonly attempts: WriteBatcher<AttemptRecord, void>;

  /** `gatherMs`: how long a record waits for others (the reads wait only for their tick: jobs wait on them). */
  constructor(repos: WebhookRepositories, gatherMs: number) {
    this.deliveries = new WriteBatcher((refs) => repos.webhookDeliveries.forAttempts(refs), BATCH);
    this.endpoints = new WriteBatcher((ids) => repos.webhookEndpoints.findByIds(ids), BATCH);
    this.attempts = new WriteBatcher((records) => repos.webhookDeliveries.recordAttempts(records), {
      ...BATCH,
      lingerMs: gatherMs,
    });
  }

  /** The delivery as far as deciding whether this attempt is due needs (its attempt list is not complete). */
  async delivery(ref: AttemptRef): Promise<WebhookDeliveryDoc | null> {
    return (await this.deliveries.add([ref])).get(ref.deliveryId) ?? null;
  }

  async endpoint(id: string): Promise<WebhookEndpointDoc | null> {
    return (await this.endpoints.add([id])).get(id) ?? null;
  }

  recordAttempt(record: AttemptRecord): Promise<void> {
    return this.attempts.add([record]);
  }
}
