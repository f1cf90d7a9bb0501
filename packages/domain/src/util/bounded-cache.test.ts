import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('computes once per key and keeps no more than its bound', () => {
    const cache = new BoundedCache<number, string>(3);
    let computed = 0;
    const value = (k: number) => cache.getOrCompute(k, () => (computed++, `v${k}`));
    expect([value(1), value(1), value(2), value(3)]).toEqual(['v1', 'v1', 'v2', 'v3']);
    expect(computed).toBe(3);
    value(4); // full: forgets the others
    expect(cache.size).toBe(1);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(4)).toBe('v4');
  });

  it('does not keep a null result, and overwriting a key never clears the rest', () => {
    const cache = new BoundedCache<string, string | null>(2);
    expect(cache.getOrCompute('bad', () => null)).toBeNull();
    expect(cache.size).toBe(0);
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('b', '3');
    expect([cache.get('a'), cache.get('b')]).toEqual(['1', '3']);
  });
});
