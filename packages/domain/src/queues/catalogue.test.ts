import { describe, expect, it } from 'vitest';
import { JOB_CATALOGUE, jobIdFor, QUEUE_NAMES } from './catalogue.js';

describe('job catalogue', () => {
  it('bounds what Redis keeps for every queue', () => {
    for (const name of QUEUE_NAMES) {
      const opts = JOB_CATALOGUE[name].options as { removeOnComplete?: unknown; removeOnFail?: unknown };
      expect(opts.removeOnComplete, name).toBeTruthy();
      expect(opts.removeOnFail, name).toBeTruthy();
    }
  });
  it('makes job ids BullMQ accepts (no `:`, never all digits)', () => {
    expect(jobIdFor('signup', 'a:b:c')).toBe('signup-a_b_c');
    expect(jobIdFor('rem', '123')).not.toMatch(/^\d+$/);
  });
  it('rejects payloads that do not match their queue', () => {
    expect(JOB_CATALOGUE.clicks.schema.safeParse({ events: [] }).success).toBe(false);
    expect(JOB_CATALOGUE.signups.schema.safeParse({ eventId: 'x', campaignId: { $gt: '' } }).success).toBe(false);
  });
});
