import type { MinimalJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { FETCH_CHUNK, fetchChunks, jitteredBackoff } from './workers.js';

const job = (delay: number) => ({ opts: { backoff: { type: 'jittered', delay } } }) as unknown as MinimalJob;

describe('jitteredBackoff', () => {
  it('doubles its ceiling with each attempt and waits between half of it and all of it', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const ceiling = 1000 * 2 ** (attempt - 1);
      const waits = Array.from({ length: 200 }, () => jitteredBackoff(attempt, 'jittered', undefined, job(1000)));
      expect(Math.min(...waits)).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...waits)).toBeLessThanOrEqual(ceiling);
      // Spread out, so retries of many reminders do not reach a receiver in step.
      expect(new Set(waits).size).toBeGreaterThan(50);
    }
  });

  it('leaves other backoff types to BullMQ', () => {
    expect(jitteredBackoff(1, 'exponential', undefined, job(500))).toBe(-1);
  });
});

describe('fetchChunks', () => {
  it('splits a concurrency into Workers of at most FETCH_CHUNK that add up to it', () => {
    for (const c of [1, 10, 25, 26, 50, 499, 500, 2000]) {
      const chunks = fetchChunks(c);
      expect(chunks.reduce((a, b) => a + b, 0)).toBe(c);
      expect(Math.max(...chunks)).toBeLessThanOrEqual(FETCH_CHUNK);
      expect(Math.max(...chunks) - Math.min(...chunks)).toBeLessThanOrEqual(1);
    }
  });
});
