/**
 * When the attempt after a failed one goes: the schedule's delay for that step with ±10 % jitter (so many
 * messages failing together do not retry in step), never sooner than the receiver's Retry-After. Null when
 * the schedule is exhausted.
 */
export function nextAttemptDelayMs(
  schedule: readonly number[],
  nextStep: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  const seconds = schedule[nextStep];
  if (seconds === undefined) return null;
  const base = seconds * 1000;
  const jittered = Math.round(base * (0.9 + 0.2 * random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** 2xx delivers; 410 disables the endpoint; anything else (3xx included: never followed) is a failure. */
export function attemptVerdict(status: number | null): 'delivered' | 'gone' | 'failed' {
  if (status !== null && status >= 200 && status < 300) return 'delivered';
  return status === 410 ? 'gone' : 'failed';
}
