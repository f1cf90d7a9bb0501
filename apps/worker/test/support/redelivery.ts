import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { QueueName } from '@seedline/domain';
import { createStack, type Stack } from '@seedline/testkit';

export interface RedeliveryStack {
  stack: Stack;
  /** the queue to hand jobs to again, as a producer would */
  queue: Queue;
  /** its events, to wait for a job handed in again */
  events: QueueEvents;
}

/**
 * A stack of the suite's own and one of its queues with that queue's events, for tests that deliver a job the
 * worker already applied once more. Started before the suite's tests, stopped after them; read its fields inside
 * the tests.
 */
export function redeliveryStack(label: string, name: QueueName): RedeliveryStack {
  const t = {} as RedeliveryStack;
  let redis: Redis | undefined;
  beforeAll(async () => {
    t.stack = await createStack(label);
    redis = new Redis(t.stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    t.queue = new Queue(name, { connection: redis, prefix: t.stack.prefix });
    t.events = new QueueEvents(name, { connection: redis.duplicate(), prefix: t.stack.prefix });
    await t.events.waitUntilReady();
  });
  afterAll(async () => {
    await t.events?.close();
    await t.queue?.close();
    redis?.disconnect();
    await t.stack?.stop();
  });
  return t;
}
