/** What webhook work yields to: the status writes of this process, and the status jobs queued for every worker. */
export interface StatusWork {
  /** resolves when this process has no status write running or waiting, or after `maxWaitMs` */
  idle(maxWaitMs: number): Promise<void>;
  /** status jobs waiting in Redis for a worker to take them (all processes) */
  backlog(): Promise<number>;
}

export interface StatusFirstOptions {
  /** a backlog above this many jobs means the status pipeline is behind */
  backlogAbove: number;
  /** the longest webhook work waits for a backlog to clear: webhooks lag behind a saturated pipeline, never stop */
  maxBacklogWaitMs: number;
  /** then the longest it waits for this process's writes to pause */
  maxIdleWaitMs: number;
  /** how often the backlog is read (one read shared by every waiter) */
  pollMs: number;
}

/**
 * Brand webhooks' work (fan-outs, attempts) waits here before it touches the database. Waiting only for this
 * process's writes to pause (`idle`) was not enough under a saturated pipeline: its writes never pause, so every
 * webhook job went ahead after the wait and competed with the backlog of status updates. Waiting while status
 * jobs are queued lets the backlog drain first; the webhook work gathers meanwhile into fewer, larger writes.
 */
export class StatusFirst {
  private reading: Promise<number> | null = null;
  private readAt = 0;

  constructor(
    private readonly work: StatusWork,
    private readonly opts: StatusFirstOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async wait(): Promise<void> {
    const until = this.now() + this.opts.maxBacklogWaitMs;
    while (this.now() < until && (await this.backlog()) > this.opts.backlogAbove)
      await pause(Math.min(this.opts.pollMs, until - this.now()));
    await this.work.idle(this.opts.maxIdleWaitMs);
  }

  /** The backlog, read at most once per `pollMs` whatever the number of waiters; unknown (Redis failing) is 0. */
  private backlog(): Promise<number> {
    if (this.reading && this.now() - this.readAt < this.opts.pollMs) return this.reading;
    this.readAt = this.now();
    this.reading = this.work.backlog().catch(() => 0);
    return this.reading;
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
