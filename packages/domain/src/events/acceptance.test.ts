import { describe, expect, it } from 'vitest';
import { acceptanceClock, acceptedOrder } from './acceptance.js';

describe('acceptance order', () => {
  it('never repeats or goes back, even when the clock stands still or steps back', () => {
    let t = 1_700_000_000_000;
    const next = acceptanceClock(() => t);
    const a = next();
    const b = next();
    t -= 5_000;
    const c = next();
    t += 60_000;
    const d = next();
    expect([a, b, c, d]).toEqual([...new Set([a, b, c, d])].sort((x, y) => x - y));
    expect(a).toBe(1_700_000_000_000_000);
    expect(d).toBe((1_700_000_000_000 - 5_000 + 60_000) * 1000);
    expect(Number.isSafeInteger(d)).toBe(true);
  });

  it('orders a job without one by its acceptance time', () => {
    const at = '2026-12-02T12:00:00.123Z';
    expect(acceptedOrder({ at })).toBe(Date.parse(at) * 1000);
    expect(acceptedOrder({ at, accepted: 42 })).toBe(42);
  });
});
