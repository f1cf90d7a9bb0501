import { Worker } from 'node:worker_threads';

const RUNNER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.moduleUrl)
  .then((m) => parentPort.postMessage({ ok: true, value: workerData.calls.map(([name, args]) => m[name](...args)) }))
  .catch((err) => parentPort.postMessage({ ok: false, error: String((err && err.stack) || err) }));
`;

/** One call of an exported function: its name and its arguments (structured-cloneable). */
export type OffThreadCall = [name: string, args: unknown[]];

/**
 * Makes the calls, in order, to a built module on a worker thread, so a call that never returns (a regex stuck
 * backtracking) leaves the test's own thread free: the test then fails on its timeout instead of hanging the
 * run. `stop()` ends the thread whatever it is doing; call it when the test is over.
 */
export function callOffThread(
  moduleUrl: string,
  calls: OffThreadCall[],
): { results: Promise<unknown[]>; stop: () => Promise<void> } {
  const worker = new Worker(RUNNER, { eval: true, workerData: { moduleUrl, calls } });
  worker.unref();
  const results = new Promise<unknown[]>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; value?: unknown[]; error?: string }) =>
      m.ok ? resolve(m.value ?? []) : reject(new Error(m.error)),
    );
    worker.once('error', reject);
  });
  return { results, stop: async () => void (await worker.terminate()) };
}
