import type { Logger } from 'pino';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
  timeoutMs?: number;
}

/**
 * Runs the steps in order on SIGTERM/SIGINT (HTTP, workers, queues, database, Redis), each bounded by a
 * timeout so one stuck close cannot keep the process alive forever.
 */
export function onShutdown(logger: Logger, steps: ShutdownStep[]): (signal?: string) => Promise<void> {
  let started: Promise<void> | null = null;
  const shutdown = (signal = 'shutdown') => {
    started ??= (async () => {
      logger.info({ signal }, 'shutting down');
      for (const step of steps) {
        try {
          await withTimeout(step.run(), step.timeoutMs ?? 10_000, step.name);
        } catch (err) {
          logger.warn({ step: step.name, err: (err as Error).message }, 'shutdown step failed');
        }
      }
      logger.info('stopped');
    })();
    return started;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).finally(() => process.exit(0));
    });
  }
  return shutdown;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
