import { describe, expect, it } from 'vitest';
import { attemptVerdict, nextAttemptDelayMs } from './schedule.js';

const schedule = [0, 5, 300, 1800];

describe('webhook retry schedule', () => {
  it('takes the step delay with ±10 % jitter and ends when the schedule does', () => {
    expect(nextAttemptDelayMs(schedule, 1, null, () => 0)).toBe(4500);
    expect(nextAttemptDelayMs(schedule, 1, null, () => 1)).toBe(5500);
    expect(nextAttemptDelayMs(schedule, 3, null, () => 0.5)).toBe(1_800_000);
    expect(nextAttemptDelayMs(schedule, 4, null)).toBeNull();
  });

  it('waits at least as long as Retry-After asks', () => {
    expect(nextAttemptDelayMs(schedule, 1, 60_000, () => 0.5)).toBe(60_000);
    expect(nextAttemptDelayMs(schedule, 2, 1000, () => 0.5)).toBe(300_000);
  });

  it('counts only 2xx as delivered, 410 as gone, 3xx and the rest as failures', () => {
    expect(attemptVerdict(200)).toBe('delivered');
    expect(attemptVerdict(204)).toBe('delivered');
    expect(attemptVerdict(307)).toBe('failed');
    expect(attemptVerdict(410)).toBe('gone');
    expect(attemptVerdict(500)).toBe('failed');
    expect(attemptVerdict(null)).toBe('failed');
  });
});
