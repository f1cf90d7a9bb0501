/**
 * Runs tasks that share a key one after another, in the order they were handed in, however long each waits
 * first. The fan-out numbers an influencer's events (`data.sequence`) when it runs: two fan-outs of the same
 * influencer released together (both waited for the status writes to pause) must number in the order their
 * jobs started, which is the order the facts were recorded.
 */
export class KeyOrder {
  private readonly tails = new Map<string, Promise<void>>();

  /** Takes the keys' turn now, synchronously; `task` starts once every earlier task of one of them ended. */
  async inTurn<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const mine = [...new Set(keys)];
    const before = mine.map((k) => this.tails.get(k)).filter((p): p is Promise<void> => p !== undefined);
    let release = () => undefined as void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const k of mine) this.tails.set(k, done);
    try {
      await Promise.all(before);
      return await task();
    } finally {
      release();
      for (const k of mine) if (this.tails.get(k) === done) this.tails.delete(k);
    }
  }
}
