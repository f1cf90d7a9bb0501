import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';

/**
 * Warns when the event loop was held up long enough to threaten job locks (renewed on a timer every quarter
 * of WORKER_LOCK_MS): a lost lock means the job is taken over and run again, which is safe but wasteful.
 */
export function watchEventLoop(logger: Logger, lockMs: number): void {
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  const threshold = lockMs / 4;
  setInterval(() => {
    const maxMs = histogram.max / 1e6;
    if (maxMs > threshold) logger.warn({ maxMs: Math.round(maxMs), lockMs }, 'event loop was held up');
    histogram.reset();
  }, 5000).unref();
}
