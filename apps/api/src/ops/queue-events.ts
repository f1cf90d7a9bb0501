import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BoundedCache, type QueueName } from '@seedline/domain';
import { readLoop } from '../stream/read-loop.js';

export interface FinishedJob {
  queue: QueueName;
  jobId: string;
  outcome: 'completed' | 'failed';
  /** from `active` to the finish, when this process saw the job become active */
  durationMs: number | null;
  returnvalue: unknown;
  /** why a failed attempt failed (BullMQ's failedReason) */
  failedReason?: string;
}

const streamMs = (id: string) => Number(id.split('-')[0]);
const MAX_TRACKED = 50_000;

function fieldsToRecord(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]!] = fields[i + 1]!;
  return out;
}

/**
 * Follows BullMQ's per-queue event streams (`<prefix>:<queue>:events`) with one blocking XREAD for all queues
 * on a dedicated connection, and reports finished jobs with their processing time (the stream ids of the
 * `active` and `completed` entries are their timestamps). Only jobs finished after this process started count.
 */
export class QueueEventsReader {
  private running = false;
  private loop: Promise<void> | null = null;
  private activeAt = new BoundedCache<string, number>(MAX_TRACKED);

  constructor(
    private readonly reader: Redis,
    private readonly prefix: string,
    private readonly queues: readonly QueueName[],
    private readonly onFinished: (job: FinishedJob) => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    // The blocking read ends with the connection, which the caller closes.
    await Promise.race([this.loop, new Promise((r) => setTimeout(r, 100))]);
  }

  private run(): Promise<void> {
    const keys = this.queues.map((q) => `${this.prefix}:${q}:events`);
    const cursors = keys.map(() => '$');
    return readLoop({
      running: () => this.running,
      onError: (err) => this.logger.debug({ err: err.message }, 'queue events read failed; retrying'),
      step: async () => {
        const reply = await this.reader.xread('COUNT', 1000, 'BLOCK', 5000, 'STREAMS', ...keys, ...cursors);
        for (const [key, entries] of reply ?? []) {
          const index = keys.indexOf(key);
          const queue = this.queues[index];
          if (queue === undefined) continue;
          for (const [id, fields] of entries) {
            cursors[index] = id;
            this.handle(queue, id, fieldsToRecord(fields));
          }
        }
      },
    });
  }

  private handle(queue: QueueName, id: string, e: Record<string, string>): void {
    const jobKey = `${queue}/${e.jobId}`;
    if (e.event === 'active') {
      this.activeAt.set(jobKey, streamMs(id));
      return;
    }
    if (e.event !== 'completed' && e.event !== 'failed') return;
    const started = this.activeAt.get(jobKey);
    this.activeAt.delete(jobKey);
    let returnvalue: unknown;
    try {
      returnvalue = e.returnvalue ? JSON.parse(e.returnvalue) : null;
    } catch {
      returnvalue = null;
    }
    this.onFinished({
      queue,
      jobId: e.jobId ?? '',
      outcome: e.event,
      durationMs: started === undefined ? null : Math.max(0, streamMs(id) - started),
      returnvalue,
      ...(e.event === 'failed' && e.failedReason ? { failedReason: e.failedReason } : {}),
    });
  }
}
