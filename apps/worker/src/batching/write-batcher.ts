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
  batches = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<R>,
    private readonly opts: { maxItems: number; maxInFlight: number },
  ) {}

  add(items: T[]): Promise<R> {
    const done = new Promise<R>((resolve, reject) => this.queue.push({ items, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      // Let the other jobs of this tick add their items first.
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
    return done;
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
        this.pump();
      });
  }
}
