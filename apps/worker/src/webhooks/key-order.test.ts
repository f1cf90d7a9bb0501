import { describe, expect, it } from 'vitest';
import { KeyOrder } from './key-order.js';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyOrder', () => {
  it('runs the tasks of a key in the order they were handed in, others at once', async () => {
    const order = new KeyOrder();
    const ran: string[] = [];
    const task = (name: string, ms: number) => async () => {
      ran.push(`${name} start`);
      await later(ms);
      ran.push(`${name} end`);
      return name;
    };
    const all = [
      order.inTurn(['i-1'], task('a', 30)),
      order.inTurn(['i-1', 'i-2'], task('b', 1)),
      order.inTurn(['i-3'], task('c', 1)),
      order.inTurn(['i-2'], task('d', 1)),
    ];
    expect(await Promise.all(all)).toEqual(['a', 'b', 'c', 'd']);
    expect(ran.indexOf('a end')).toBeLessThan(ran.indexOf('b start'));
    expect(ran.indexOf('b end')).toBeLessThan(ran.indexOf('d start'));
    // c shares no key: it does not wait for a.
    expect(ran.indexOf('c end')).toBeLessThan(ran.indexOf('a end'));
  });

  it('goes on after a task that failed', async () => {
    const order = new KeyOrder();
    const failed = order.inTurn(['k'], () => Promise.reject(new Error('database down')));
    const next = order.inTurn(['k'], () => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('database down');
    await expect(next).resolves.toBe('next');
  });
});
