import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { isDatabaseUnreachable } from '@seedline/db';
import { JOB_CATALOGUE, type JobPayload, type QueueName } from '@seedline/domain';
import { isParkingQueue, type ParkedJobs } from '@seedline/runtime';
import type { Logger } from 'pino';
import type { DatabaseGate } from '../parking/database-gate.js';

export type Handler<Q extends QueueName> = (payload: JobPayload<Q>, job: Job) => Promise<unknown>;
/** One handler per queue of the catalogue: a queue without a handler does not compile. */
export type Handlers = { [Q in QueueName]: Handler<Q> };

/** How acknowledged events outlive a database outage of any length (see parking/database-gate.ts). */
export interface Parking {
  gate: DatabaseGate;
  parked: ParkedJobs;
  /** a parked job comes back by itself after this long (with up to 20 % more), should no worker replay it */
  recheckMs: number;
}

/**
 * Parses the payload with the catalogue's schema; a payload that can never be valid fails without retries.
 * An event job that fails because the database is unreachable, or arrives while it is, is parked instead.
 */
export function toProcessor<Q extends QueueName>(queue: Q, handler: Handler<Q>, logger: Logger, parking?: Parking) {
  const park = async (job: Job, token: string): Promise<never> => {
    if (!parking || !isParkingQueue(queue)) throw new Error('not a parking queue');
    const until = Date.now() + Math.round(parking.recheckMs * (1 + Math.random() * 0.2));
    await parking.parked.park(queue, job, token, until);
    if (logger.isLevelEnabled('debug')) logger.debug({ queue, jobId: job.id }, 'job parked');
    throw new DelayedError();
  };
  const parks = parking !== undefined && isParkingQueue(queue);
  return async (job: Job, token?: string): Promise<unknown> => {
    const parsed = JOB_CATALOGUE[queue].schema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnrecoverableError(`invalid ${queue} payload: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    if (parks && token && parking.gate.isDown) return park(job, token);
    const attempt = job.attemptsMade + 1;
    try {
      const result = await handler(parsed.data as JobPayload<Q>, job);
      if (logger.isLevelEnabled('debug')) logger.debug({ queue, jobId: job.id, attempt, result }, 'job done');
      return result;
    } catch (err) {
      if (parks && token && isDatabaseUnreachable(err) && (await parking.gate.confirmDown())) return park(job, token);
      logger.warn({ queue, jobId: job.id, attempt, err: (err as Error).message }, 'job attempt failed');
      throw err;
    }
  };
}
