import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_QUEUE_PREFIX, JOB_CATALOGUE, QUEUE_NAMES, type QueueName } from '@seedline/domain';

export type Queues = { [Q in QueueName]: Queue };

/**
 * Every queue, created once at boot with the catalogue's default job options and a capped events stream.
 * `onError` hears the queues' connection errors: without a listener BullMQ prints each one to stderr as a
 * multi-line trace (seven a second while Redis is down), outside the app's JSON log.
 */
export function createQueues(
  connection: Redis,
  prefix = DEFAULT_QUEUE_PREFIX,
  onError: (err: Error) => void = () => undefined,
): Queues {
  const entries = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: JOB_CATALOGUE[name].options,
      streams: { events: { maxLen: 2000 } },
    });
    queue.on('error', onError);
    return [name, queue];
  });
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
