/** The reply of XREAD: per key, its entries as `[id, [field, value, ...]]`. */
export type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Runs `step` (one blocking read and its handling) until `running()` turns false. A failing step, such as a
 * read while Redis is down, is retried after a capped exponential pause.
 */
export async function readLoop(opts: {
  running: () => boolean;
  step: () => Promise<void>;
  onError: (err: Error, failures: number) => void;
  pause?: (ms: number) => Promise<void>;
}): Promise<void> {
  const pause = opts.pause ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let failures = 0;
  while (opts.running()) {
    try {
      await opts.step();
      failures = 0;
    } catch (err) {
      if (!opts.running()) return;
      failures++;
      opts.onError(err as Error, failures);
      await pause(Math.min(200 * 2 ** failures, 5000));
    }
  }
}
