import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatusFirst, type StatusWork } from './status-first.js';

const OPTS = { backlogAbove: 10, maxBacklogWaitMs: 5000, maxIdleWaitMs: 1000, pollMs: 100 };

/** Status work whose backlog the test sets, counting its reads; `idle` resolves at once. */
function work(initial: number): StatusWork & { set: (n: number) => void; reads: () => number; idles: number[] } {
  let backlog = initial;
  let reads = 0;
  const idles: number[] = [];
  return {
    idle: (ms) => {
      idles.push(ms);
      return Promise.resolve();
    },
    backlog: () => {
      reads += 1;
      return Promise.resolve(backlog);
    },
    set: (n) => (backlog = n),
    reads: () => reads,
    idles,
  };
}

describe('StatusFirst', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('goes on at once when no backlog waits, after the writes of this process pause', async () => {
    const w = work(10);
    await new StatusFirst(w, OPTS).wait();
    expect(w.idles).toEqual([1000]);
  });

  it('waits while the backlog is above its threshold, and goes on soon after it clears', async () => {
    const w = work(500);
    let done = false;
    const waiting = new StatusFirst(w, OPTS).wait().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    w.set(3);
    await vi.advanceTimersByTimeAsync(150);
    await waiting;
    expect(done).toBe(true);
    expect(w.idles).toEqual([1000]);
  });

  it('never waits longer than maxBacklogWaitMs for a backlog that stays', async () => {
    const w = work(500);
    let done = false;
    const waiting = new StatusFirst(w, OPTS).wait().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(4900);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await waiting;
    expect(done).toBe(true);
  });

  it('reads the backlog once per poll for all its waiters', async () => {
    const w = work(500);
    const gate = new StatusFirst(w, OPTS);
    const waiters = Array.from({ length: 50 }, () => gate.wait());
    await vi.advanceTimersByTimeAsync(1000);
    // 50 waiters over 1 s: ~10 reads (one per 100 ms), not 500
    expect(w.reads()).toBeLessThanOrEqual(12);
    w.set(0);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(waiters);
  });

  it('goes on when the backlog cannot be read (Redis failing)', async () => {
    const gate = new StatusFirst(
      { idle: () => Promise.resolve(), backlog: () => Promise.reject(new Error('connection lost')) },
      OPTS,
    );
    await gate.wait();
  });
});
