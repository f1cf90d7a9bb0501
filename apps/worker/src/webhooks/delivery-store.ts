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
 * How long a read waits for the reads of other jobs: each query costs the database about as much as a few dozen
 * documents, and under load every tick started a few jobs (a bench saw 657 reads of each kind in a phase).
 */
const READ_GATHER_MS = 50;

/**
 * What concurrent attempts read and record, gathered like click writes: the attempts that start within
 * READ_GATHER_MS read their deliveries in one query and their endpoints in another, and those that end together
 * record their outcomes in one bulk write (gathered a moment longer: only their jobs wait on them). Every read
 * is still made after its job started (no cache): a delivery's state and an endpoint's secrets, URL and
 * `disabledAt` are the database's at that moment.
 */
export class DeliveryStore {
  private readonly deliveries: WriteBatcher<AttemptRef, Map<string, WebhookDeliveryDoc>>;
  private readonly endpoints: WriteBatcher<string, Map<string, WebhookEndpointDoc>>;
  private readonly attempts: WriteBatcher<AttemptRecord, void>;

  /** `gatherMs`: how long a record waits for others (reads wait READ_GATHER_MS only: jobs wait on them). */
  constructor(repos: WebhookRepositories, gatherMs: number) {
    const reads = { ...BATCH, lingerMs: READ_GATHER_MS };
    this.deliveries = new WriteBatcher((refs) => repos.webhookDeliveries.forAttempts(refs), reads);
    this.endpoints = new WriteBatcher((ids) => repos.webhookEndpoints.findByIds(ids), reads);
    // At most 200 a statement: with 1,000 the bench's hanging phase missed its freshness budget by 1.2 s in two
    // of four runs; a large insert's WAL delaying the status writes that commit beside it is the suspect.
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
