import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JOB_CATALOGUE, type QueueName } from '@seedline/domain';
import { pollUntil, type Stack } from '@seedline/testkit';
import type { Delivery } from './workload.js';

// BullMQ 6 has no 'paused' state: a paused queue's jobs stay in 'waiting'.
const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
/** the queues whose jobs carry events */
const EVENT_QUEUES: QueueName[] = ['signups', 'clicks', 'submissions'];

/**
 * The stack's BullMQ queues, used the way a producer would: jobs with the catalogue's options, in the test's
 * queue prefix. `skipMetasUpdate` leaves the queue settings the worker wrote (the capped events stream) alone.
 */
export class TestQueues {
  readonly redis: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private added = 0;

  constructor(private readonly stack: Stack) {
    this.redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, prefix: this.stack.prefix, skipMetasUpdate: true });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Enqueues in the given order (in chunks), each delivery as a job of its own with a fresh job id. */
  async enqueue(deliveries: Delivery[], chunk = 200): Promise<void> {
    for (let i = 0; i < deliveries.length; i += chunk) {
      const byQueue = new Map<QueueName, { name: string; data: unknown; opts: object }[]>();
      for (const d of deliveries.slice(i, i + chunk)) {
        const list = byQueue.get(d.queue) ?? [];
        list.push({
          name: d.queue,
          data: d.data,
          opts: { ...JOB_CATALOGUE[d.queue].options, jobId: `t-${this.added++}` },
        });
        byQueue.set(d.queue, list);
      }
      await Promise.all([...byQueue].map(([name, jobs]) => this.queue(name).addBulk(jobs as never)));
    }
  }

  async pending(names: QueueName[] = EVENT_QUEUES): Promise<number> {
    const counts = await Promise.all(names.map((n) => this.queue(n).getJobCounts(...PENDING)));
    return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
  }

  async failed(names: QueueName[] = EVENT_QUEUES): Promise<number> {
    const counts = await Promise.all(names.map((n) => this.queue(n).getFailedCount()));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Waits until no job is waiting, active or due for a retry, twice in a row. */
  async drained(timeoutMs = 180_000): Promise<void> {
    let zeros = 0;
    await pollUntil(
      async () => {
        zeros = (await this.pending()) === 0 ? zeros + 1 : 0;
        return zeros >= 2;
      },
      { timeoutMs, intervalMs: 250, what: 'the queues to drain' },
    );
  }

  /** How many of the queue's kept completed jobs each worker process ran (BullMQ's `processedBy`). */
  async processedBy(name: QueueName): Promise<Map<string, number>> {
    const jobs = await this.queue(name).getCompleted(0, -1);
    const out = new Map<string, number>();
    for (const job of jobs) out.set(job.processedBy ?? '?', (out.get(job.processedBy ?? '?') ?? 0) + 1);
    return out;
  }

  /** The first few failure reasons, for a readable assertion message. */
  async failures(names: QueueName[] = EVENT_QUEUES): Promise<string[]> {
    const jobs = (await Promise.all(names.map((n) => this.queue(n).getFailed(0, 4)))).flat();
    return jobs.map((j) => `${j.queueName} ${j.id}: ${j.failedReason}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.redis.disconnect();
  }
}
