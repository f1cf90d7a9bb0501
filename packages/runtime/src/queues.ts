import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_QUEUE_PREFIX, JOB_CATALOGUE, QUEUE_NAMES, type QueueName } from '@seedline/domain';

export type Queues = { [Q in QueueName]: Queue };

/** Every queue, created once at boot with the catalogue's default job options and a capped events stream. */
export function createQueues(connection: Redis, prefix = DEFAULT_QUEUE_PREFIX): Queues {
  const entries = QUEUE_NAMES.map((name) => [
    name,
    new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: JOB_CATALOGUE[name].options,
      streams: { events: { maxLen: 2000 } },
    }),
  ]);
  return Object.fromEntries(entries) as Queues;
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
