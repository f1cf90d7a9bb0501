interface Entry<T, R> {
  items: T[];
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Coalesces items from many concurrent jobs into few writes. A flush starts as soon as a write slot is free
 * (an idle system adds no latency); while writes are in flight, new items gather into the next batch, up to
 * `maxItems`. A caller's items always travel in one write, and its promise settles with that write, so a
 * job is acknowledged only after its own events are stored.
 */
export class WriteBatcher<T, R> {
  private queue: Entry<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** items waiting in `queue` */
  private queued = 0;
  private idleWaiters: (() => void)[] = [];
  batches = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<R>,
    private readonly opts: {
      maxItems: number;
      maxInFlight: number;
      /**
       * How long the first item waits for others before a flush (0: the rest of its tick), whether the batcher
       * was idle or a write just ended (else, under load, each write's end flushed the few items of that moment);
       * a batch reaching `maxItems` does not wait. For work nobody waits on closely (brand webhooks): a few
       * hundred ms gather many small batches into one write.
       */
      lingerMs?: number;
    },
  ) {}

  add(items: T[]): Promise<R> {
    const done = new Promise<R>((resolve, reject) => this.queue.push({ items, resolve, reject }));
    this.queued += items.length;
    if (this.opts.lingerMs && this.queued >= this.opts.maxItems) this.pump();
    else this.schedule();
    return done;
  }

  /** Lets the other jobs of this tick (or of the linger) add their items before the next flush. */
  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.pump();
    };
    if (this.opts.lingerMs) setTimeout(flush, this.opts.lingerMs);
    else setImmediate(flush);
  }

  /** Resolves when no write is running and none is waiting (at once if so now), or after `maxWaitMs`. */
  idle(maxWaitMs: number): Promise<void> {
    if (this.isIdle() || maxWaitMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      // A waiter that gave up leaves the list: under a load that never pauses, waiters must not pile up.
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== wake);
        resolve();
      }, maxWaitMs);
      this.idleWaiters.push(wake);
    });
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0 && !this.scheduled;
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.opts.maxInFlight) {
      const entries: Entry<T, R>[] = [];
      let size = 0;
      while (
        this.queue.length > 0 &&
        (entries.length === 0 || size + (this.queue[0]?.items.length ?? 0) <= this.opts.maxItems)
      ) {
        const entry = this.queue.shift() as Entry<T, R>;
        entries.push(entry);
        size += entry.items.length;
      }
      this.queued -= size;
      this.run(entries);
    }
  }

  private run(entries: Entry<T, R>[]): void {
    this.inFlight++;
    this.batches++;
    this.write(entries.flatMap((e) => e.items))
      .then(
        (r) => entries.forEach((e) => e.resolve(r)),
        (err) => entries.forEach((e) => e.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        if (this.opts.lingerMs && this.queued < this.opts.maxItems) this.schedule();
        else this.pump();
        if (this.isIdle()) for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }
}
