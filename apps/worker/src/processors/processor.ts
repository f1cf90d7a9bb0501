import { UnrecoverableError, type Job } from 'bullmq';
import { JOB_CATALOGUE, type JobPayload, type QueueName } from '@seedline/domain';
import type { Logger } from 'pino';

export type Handler<Q extends QueueName> = (payload: JobPayload<Q>, job: Job) => Promise<unknown>;
/** One handler per queue of the catalogue: a queue without a handler does not compile. */
export type Handlers = { [Q in QueueName]: Handler<Q> };

/** Parses the payload with the catalogue's schema; a payload that can never be valid fails without retries. */
export function toProcessor<Q extends QueueName>(queue: Q, handler: Handler<Q>, logger: Logger) {
  return async (job: Job): Promise<unknown> => {
    const parsed = JOB_CATALOGUE[queue].schema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnrecoverableError(`invalid ${queue} payload: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    const attempt = job.attemptsMade + 1;
    try {
      const result = await handler(parsed.data as JobPayload<Q>, job);
      if (logger.isLevelEnabled('debug')) logger.debug({ queue, jobId: job.id, attempt, result }, 'job done');
      return result;
    } catch (err) {
      logger.warn({ queue, jobId: job.id, attempt, err: (err as Error).message }, 'job attempt failed');
      throw err;
    }
  };
}
