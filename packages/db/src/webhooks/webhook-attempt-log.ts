import type { Connection } from 'mongoose';
import { insertNew, ignoreExists } from '../mongo-errors.js';
import type { DeliveryAttempt, DeliveryStatus, WebhookDeliveryDoc } from './webhook-delivery.doc.js';

/** One attempt to record: made `from` attempts into `round`, and what follows it. */
export interface AttemptRecord {
  id: string;
  round: number;
  from: number;
  attempt: DeliveryAttempt;
  next: { status: DeliveryStatus; nextAttemptAt: Date | null };
}

/** An attempt to make: `step` of the delivery's schedule in `round`. */
export interface AttemptRef {
  deliveryId: string;
  round: number;
  step: number;
}

/** An attempt as logged: `_id` is `<deliveryId>/<round>/<step>`, so a step is recorded once. */
interface LoggedAttempt extends DeliveryAttempt {
  _id: string;
  round: number;
  step: number;
  next: DeliveryStatus;
  nextAttemptAt: Date | null;
}

/** WEBHOOK_RETRY_SCHEDULE holds up to 30 steps: a round's attempts are at steps 0-29. */
const MAX_STEPS = 30;

const attemptId = (deliveryId: string, round: number, step: number) => `${deliveryId}/${round}/${step}`;

/** The steps whose records decide whether attempt `step` is due: it, and the two before (see `forAttempts`). */
const guardSteps = (step: number) => [step - 2, step - 1, step].filter((s) => s >= 0);

/**
 * Attempts are logged apart from their deliveries, one small document each, inserted once and never updated: on
 * DocumentDB an update rewrites the whole document (body and earlier attempts included) and every index entry
 * of it, which made each attempt cost 1.2-2.2 KB of WAL. The `_id` (delivery, round, step) is the attempt's
 * compare-and-set: a duplicate job's record of a step already recorded is refused by the primary key. A delivery
 * as read is its stored document (its fields as of its round's start; deliveries of earlier versions also hold
 * the attempts recorded in them) completed by its logged attempts (`complete`). Reads name the `_id`s they want
 * (equality on the primary key; a range per delivery would be one query each).
 */
export function webhookAttemptLog(conn: Connection) {
  const col = conn.collection<LoggedAttempt>('webhook_attempts');

  async function read(ids: string[]): Promise<Map<string, LoggedAttempt[]>> {
    const byDelivery = new Map<string, LoggedAttempt[]>();
    if (ids.length === 0) return byDelivery;
    for (const a of await col.find({ _id: { $in: ids } }).toArray()) {
      const deliveryId = a._id.slice(0, a._id.indexOf('/'));
      byDelivery.set(deliveryId, [...(byDelivery.get(deliveryId) ?? []), a]);
    }
    return byDelivery;
  }

  const withLogged = (docs: WebhookDeliveryDoc[], logged: Map<string, LoggedAttempt[]>) =>
    docs.map((d) => completed(d, logged.get(d._id) ?? []));

  return {
    /** Records attempts; a step recorded already keeps its first record (the later one is a duplicate job's). */
    async record(records: readonly AttemptRecord[]): Promise<number> {
      if (records.length === 0) return 0;
      const docs: LoggedAttempt[] = records.map((r) => ({
        _id: attemptId(r.id, r.round, r.from),
        round: r.round,
        step: r.from,
        ...r.attempt,
        next: r.next.status,
        nextAttemptAt: r.next.nextAttemptAt,
      }));
      return docs.length - (await insertNew(col, docs)).size;
    },
    /** The deliveries with every attempt of every round (lists, the api). */
    async complete(docs: WebhookDeliveryDoc[]): Promise<WebhookDeliveryDoc[]> {
      const ids = docs.flatMap((d) =>
        Array.from({ length: (d.round + 1) * MAX_STEPS }, (_, i) =>
          attemptId(d._id, Math.floor(i / MAX_STEPS), i % MAX_STEPS),
        ),
      );
      return withLogged(docs, await read(ids));
    },
    /**
     * The deliveries as far as an attempt of `step` in `round` needs them: its status, round and `scheduled`
     * are right for deciding whether the step is due (records of the step and of the two before are read:
     * the step's own means it was made, the one before that it is next, the one before that it is next with
     * the previous record lost to a crash); their attempt lists are not complete.
     */
    async forAttempts(docs: WebhookDeliveryDoc[], refs: readonly AttemptRef[]): Promise<WebhookDeliveryDoc[]> {
      const ids = refs.flatMap((r) => guardSteps(r.step).map((s) => attemptId(r.deliveryId, r.round, s)));
      return withLogged(docs, await read([...new Set(ids)]));
    },
    async ensureCollection(): Promise<void> {
      await conn.createCollection('webhook_attempts').catch(ignoreExists);
    },
  };
}
export type WebhookAttemptLog = ReturnType<typeof webhookAttemptLog>;

/** The stored delivery with its logged attempts: the current round's latest decides status and schedule. */
function completed(doc: WebhookDeliveryDoc, logged: LoggedAttempt[]): WebhookDeliveryDoc {
  if (logged.length === 0) return doc;
  const sorted = [...logged].sort((a, b) => a.round - b.round || a.step - b.step);
  const last = sorted.filter((a) => a.round === doc.round).at(-1);
  const attempts = sorted.map(({ at, status, durationMs, response, error }) => ({
    at,
    status,
    durationMs,
    response,
    error,
  }));
  return {
    ...doc,
    attempts: [...doc.attempts, ...attempts],
    ...(last
      ? { status: last.next, scheduled: Math.max(doc.scheduled, last.step + 1), nextAttemptAt: last.nextAttemptAt }
      : {}),
  };
}
