import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long parses written once as generators that `yield` between slices of work: run to the end at once
 * (`runSteps`, for scripts and tests), or handing the event loop back at each yield (`runStepsYielding`, for a
 * server, where a 10,000-row upload must not hold every other request for the whole parse).
 */
export type Steps<T> = Generator<void, T, undefined>;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runStepsYielding<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}
