import { describe, expect, it } from 'vitest';
import { groupBy } from './group-by.js';

describe('groupBy', () => {
  it('groups by key, keeping the order of the items within each group', () => {
    const rows = [
      { order: 'a', n: 1 },
      { order: 'b', n: 2 },
      { order: 'a', n: 3 },
    ];
    expect([...groupBy(rows, (r) => r.order)]).toEqual([
      ['a', [rows[0], rows[2]]],
      ['b', [rows[1]]],
    ]);
  });
});
