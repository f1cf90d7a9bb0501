import { isDeadlock } from './mongo-errors.js';

/** Attempts of an idempotent schema step that PostgreSQL failed to break a deadlock; a few suffice. */
const ATTEMPTS = 6;

/**
 * Runs idempotent schema steps (create collection, create or drop index, list old data) together, and runs the
 * ones that failed again while their only failures are deadlocks another process's start caused: every step
 * stops before a retry begins (allSettled), so two rounds never overlap. Any other failure is thrown as is.
 */
export async function runSchemaSteps(steps: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  let pending = steps;
  for (let attempt = 1; ; attempt++) {
    const results = await Promise.allSettled(pending.map((step) => step()));
    const failed = pending.filter((_, i) => results[i]?.status === 'rejected');
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length === 0) return;
    if (attempt === ATTEMPTS || !failures.every(isDeadlock)) throw failures[0];
    pending = failed;
    // Jittered, so two starting processes do not collide again in step.
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50 * attempt));
  }
}
