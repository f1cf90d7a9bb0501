import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyWindowLimiter } from './rate-limit.js';

afterEach(() => vi.useRealTimers());

describe('KeyWindowLimiter', () => {
  it("allows max hits per key's own window, then answers the seconds left", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = new KeyWindowLimiter(2, 60_000);
    expect([limiter.hit('a'), limiter.hit('a')]).toEqual([0, 0]);
    expect(limiter.hit('a')).toBe(60);
    vi.advanceTimersByTime(30_000);
    expect(limiter.hit('b')).toBe(0); // b's window starts now, not with a's
    expect(limiter.hit('a')).toBe(30);
    vi.advanceTimersByTime(30_000);
    expect(limiter.hit('a')).toBe(0); // a's window is over
    expect([limiter.hit('b'), limiter.hit('b')]).toEqual([0, 30]);
  });

  it('tells the wait without counting a hit', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = new KeyWindowLimiter(2, 60_000);
    expect(limiter.waitOf('a')).toBe(0);
    limiter.hit('a');
    expect([limiter.waitOf('a'), limiter.waitOf('a')]).toEqual([0, 0]);
    limiter.hit('a');
    expect(limiter.waitOf('a')).toBe(60);
    vi.advanceTimersByTime(60_000);
    expect(limiter.waitOf('a')).toBe(0);
  });

  it('stays bounded in memory under a flood of keys', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = new KeyWindowLimiter(1, 60_000, 100);
    for (let i = 0; i < 1000; i++) limiter.hit(`k${i}`);
    expect((limiter as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
  });
});
