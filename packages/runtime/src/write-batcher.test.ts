import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WriteBatcher } from './write-batcher.js';

/** A write that records its batches and settles when told to. */
function recorder() {
  const batches: number[][] = [];
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = (items: number[]) => {
    batches.push(items);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<number>((resolve, reject) => {
      pending.push({
        resolve: () => {
          inFlight--;
          resolve(items.length);
        },
        reject: (e) => {
          inFlight--;
          reject(e);
        },
      });
    });
  };
  return { batches, pending, write, maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteBatcher', () => {
  it('writes what arrives in one tick together, and settles each caller with its own write', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 100, maxInFlight: 1 });
    const first = [b.add([1]), b.add([2, 3]), b.add([4])];
    await tick();
    expect(r.batches).toEqual([[1, 2, 3, 4]]);
    // Meanwhile more arrive; they wait for the write slot and go together.
    const second = [b.add([5]), b.add([6])];
    await tick();
    expect(r.batches).toHaveLength(1);
    r.pending[0]?.resolve();
    expect(await Promise.all(first)).toEqual([4, 4, 4]);
    await tick();
    expect(r.batches[1]).toEqual([5, 6]);
    r.pending[1]?.resolve();
    expect(await Promise.all(second)).toEqual([2, 2]);
  });

  it('keeps a caller’s items in one write and caps the others at maxItems', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 3, maxInFlight: 5 });
    const all = [b.add([1, 2]), b.add([3, 4]), b.add([5, 6, 7, 8]), b.add([9])];
    await tick();
    expect(r.batches).toEqual([[1, 2], [3, 4], [5, 6, 7, 8], [9]]);
    for (const p of r.pending) p.resolve();
    await Promise.all(all);
  });

  it('never has more than maxInFlight writes running', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 1, maxInFlight: 2 });
    const all = Array.from({ length: 6 }, (_, i) => b.add([i]));
    await tick();
    expect(r.batches).toHaveLength(2);
    for (let next = r.pending.shift(); next; next = r.pending.shift()) {
      next.resolve();
      await tick();
    }
    await Promise.all(all);
    expect(r.batches.flat()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.maxInFlight()).toBe(2);
  });

  it('fails only the callers whose write failed', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 1, maxInFlight: 2 });
    const bad = b.add([1]);
    const good = b.add([2]);
    await tick();
    r.pending[0]?.reject(new Error('database down'));
    r.pending[1]?.resolve();
    await expect(bad).rejects.toThrow('database down');
    await expect(good).resolves.toBe(1);
  });

  it('is idle once no write runs and none waits', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 1, maxInFlight: 1 });
    await b.idle(60_000);
    let idle = false;
    const all = [b.add([1]), b.add([2])];
    void b.idle(60_000).then(() => (idle = true));
    await tick();
    r.pending[0]?.resolve();
    await tick();
    // The first write is done, the second is running: not idle yet.
    expect(idle).toBe(false);
    r.pending[1]?.resolve();
    await Promise.all(all);
    await tick();
    expect(idle).toBe(true);
  });

  it('stops waiting for idle after maxWaitMs', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 1, maxInFlight: 1 });
    const pending = b.add([1]);
    await tick();
    const t0 = performance.now();
    await b.idle(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    r.pending[0]?.resolve();
    await pending;
  });
});

describe('WriteBatcher with a linger', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('gathers what arrives over several ticks into one write', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 100, maxInFlight: 1, lingerMs: 200 });
    const added = [b.add([1])];
    await tick();
    added.push(b.add([2]));
    await tick();
    expect(r.batches).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(r.batches).toEqual([[1, 2]]);
    r.pending.forEach((p) => p.resolve());
    expect(await Promise.all(added)).toEqual([2, 2]);
  });

  it('also gathers what arrives while a write runs, unless a batch is full', async () => {
    const r = recorder();
    const b = new WriteBatcher(r.write, { maxItems: 3, maxInFlight: 1, lingerMs: 200 });
    const added = [b.add([1])];
    vi.advanceTimersByTime(200);
    expect(r.batches).toEqual([[1]]);
    added.push(b.add([2]));
    r.pending[0]?.resolve();
    await tick();
    // The write ended with an item waiting: it waits out a linger of its own, with what comes meanwhile.
    added.push(b.add([3]));
    await tick();
    expect(r.batches).toEqual([[1]]);
    vi.advanceTimersByTime(200);
    expect(r.batches).toEqual([[1], [2, 3]]);
    // A full batch goes at once.
    added.push(b.add([4, 5]), b.add([6]));
    r.pending[1]?.resolve();
    await tick();
    expect(r.batches).toEqual([[1], [2, 3], [4, 5, 6]]);
    r.pending[2]?.resolve();
    await Promise.all(added);
  });
});
