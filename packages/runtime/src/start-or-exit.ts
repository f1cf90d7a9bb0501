import type { Logger } from './logger.js';

/**
 * Awaits an app's start (connections, indexes): a start that cannot finish (the database unreachable through
 * every retry) is one JSON log line and exit 1, not Node's multi-line trace of an unhandled rejection.
 */
export async function startOrExit<T>(logger: Logger, starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'could not start');
    process.exit(1);
  }
}
