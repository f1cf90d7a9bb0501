import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '@seedline/domain';
import type { Queues } from './queues.js';

/**
 * The queues of acknowledged events: a job of theirs that fails because the database cannot be reached is
 * parked (moved to delayed without spending an attempt) and replayed once it is back, however long that takes.
 */
export const PARKING_QUEUES = ['signups', 'clicks', 'submissions', 'unsubscribes'] as const satisfies QueueName[];
export type ParkingQueue = (typeof PARKING_QUEUES)[number];

export const isParkingQueue = (queue: QueueName): queue is ParkingQueue =>
  (PARKING_QUEUES as readonly string[]).includes(queue);

/**
 * Which jobs are parked (a set per queue: any worker can replay them, and the api counts them) and how many
 * were parked and replayed so far (one hash), under the queue prefix (one Redis Cluster slot, like the queues).
 */
export class ParkedJobs {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private setKey(queue: ParkingQueue): string {
    return `${this.prefix}:parked:${queue}`;
  }

  private get totalsKey(): string {
    return `${this.prefix}:parking`;
  }

  /** Moves an active job (its lock `token`) back to delayed until `untilMs`; its attempts are left as they were. */
  async park(queue: ParkingQueue, job: Job, token: string, untilMs: number): Promise<void> {
    await job.moveToDelayed(untilMs, token);
    await this.redis
      .multi()
      .sadd(this.setKey(queue), job.id ?? '')
      .hincrby(this.totalsKey, `parked:${queue}`, 1)
      .exec();
  }

  /**
   * Promotes the delayed jobs of every event queue (the parked ones, and retries in backoff, which an outage
   * most likely caused too) in a few script calls per queue, then forgets the parked ids it saw; returns how
   * many jobs were parked per queue. A job parked again meanwhile is promoted too, or returns after its delay.
   */
  async replay(queues: Queues): Promise<Record<ParkingQueue, number>> {
    const replayed = Object.fromEntries(PARKING_QUEUES.map((q) => [q, 0])) as Record<ParkingQueue, number>;
    for (const queue of PARKING_QUEUES) {
      const ids = await this.redis.smembers(this.setKey(queue));
      if (ids.length === 0) continue;
      await queues[queue].promoteJobs({ count: 1000 });
      for (let i = 0; i < ids.length; i += 1000) await this.redis.srem(this.setKey(queue), ...ids.slice(i, i + 1000));
      replayed[queue] = ids.length;
      await this.redis.hincrby(this.totalsKey, `replayed:${queue}`, ids.length);
    }
    return replayed;
  }

  /** Jobs parked now, and parked / replayed since the queues were created, per queue (for /metrics). */
  async stats(): Promise<Record<ParkingQueue, { parkedNow: number; parked: number; replayed: number }>> {
    const [totals, ...sizes] = await Promise.all([
      this.redis.hgetall(this.totalsKey),
      ...PARKING_QUEUES.map((q) => this.redis.scard(this.setKey(q))),
    ]);
    return Object.fromEntries(
      PARKING_QUEUES.map((q, i) => [
        q,
        {
          parkedNow: sizes[i] ?? 0,
          parked: Number(totals[`parked:${q}`] ?? 0),
          replayed: Number(totals[`replayed:${q}`] ?? 0),
        },
      ]),
    ) as Record<ParkingQueue, { parkedNow: number; parked: number; replayed: number }>;
  }
}
