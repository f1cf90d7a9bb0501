import { describe, expect, it } from 'vitest';
import { RepeatFilter } from './repeat-filter.js';

describe('RepeatFilter', () => {
  it('lets the first through, holds repeats within the window, then says how many it held', () => {
    let now = 0;
    const filter = new RepeatFilter(10_000, () => now);
    expect(filter.admit('clicks connect ECONNREFUSED')).toBe(0);
    for (let i = 0; i < 5; i++) expect(filter.admit('clicks connect ECONNREFUSED')).toBeNull();
    expect(filter.admit('signups connect ECONNREFUSED')).toBe(0);
    now = 10_000;
    expect(filter.admit('clicks connect ECONNREFUSED')).toBe(5);
    expect(filter.admit('clicks connect ECONNREFUSED')).toBeNull();
  });
});
