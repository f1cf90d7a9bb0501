import { UnrecoverableError, type Job } from 'bullmq';
import { JOB_CATALOGUE, type JobPayload, type QueueName } from '@seedline/domain';

export type Handler<Q extends QueueName> = (payload: JobPayload<Q>, job: Job) => Promise<unknown>;
/** One handler per queue of the catalogue: a queue without a handler does not compile. */
export type Handlers = { [Q in QueueName]: Handler<Q> };

/** Parses the payload with the catalogue's schema; a payload that can never be valid fails without retries. */
export function toProcessor<Q extends QueueName>(queue: Q, handler: Handler<Q>) {
  return async (job: Job): Promise<unknown> => {
    const parsed = JOB_CATALOGUE[queue].schema.safeParse(job.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnrecoverableError(`invalid ${queue} payload: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    return handler(parsed.data as JobPayload<Q>, job);
  };
}
