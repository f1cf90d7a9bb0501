/**
 * The order in which ingest accepted requests that carry new data for the same thing (a re-sign-up that
 * changes an email or time zone): the worker applies the last accepted one whatever order their jobs run
 * in. Microseconds since the epoch, from the wall clock and raised by one when the clock has not moved (or went
 * back), so one process never hands out the same value twice; several ingest processes are ordered by their
 * clocks. Below 2^53 until the year 2255.
 */
export type AcceptanceClock = () => number;

export function acceptanceClock(now: () => number = Date.now): AcceptanceClock {
  let last = 0;
  return () => {
    last = Math.max(last + 1, now() * 1000);
    return last;
  };
}

/** A job enqueued before jobs carried their acceptance order is ordered by its acceptance time. */
export function acceptedOrder(job: { at: string; accepted?: number | undefined }): number {
  return job.accepted ?? Date.parse(job.at) * 1000;
}
