/**
 * A Map that forgets everything once it is full. For caches of cheap-to-recompute values on hot paths (token
 * checks, hashes, parsed user agents): a rare refill costs less than LRU bookkeeping on every hit, and the
 * bound keeps hostile input (a flood of distinct keys) from growing memory.
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.maxEntries && !this.map.has(key)) this.map.clear();
    this.map.set(key, value);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** The cached value, else `compute`'s, which is kept unless it is null or undefined. */
  getOrCompute(key: K, compute: () => V): V {
    const known = this.map.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (value !== undefined && value !== null) this.set(key, value);
    return value;
  }
}
