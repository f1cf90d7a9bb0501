import { describe, expect, it } from 'vitest';
import { nextAttempt } from './payout-record.js';
import { senderBatchIdOf, verdictOfBatchStatus, verdictOfItemStatus } from './payout-status.js';

describe('verdictOfItemStatus', () => {
  it('takes SUCCESS as paid', () => {
    expect(verdictOfItemStatus('SUCCESS')).toEqual({ kind: 'paid' });
  });
  it.each(['PENDING', 'UNCLAIMED', 'ONHOLD'])('keeps following %s', (s) => {
    expect(verdictOfItemStatus(s)).toEqual({ kind: 'in_flight', status: s });
  });
  it.each(['FAILED', 'BLOCKED', 'RETURNED', 'REFUNDED', 'REVERSED'])('fails %s with paypal_<status>', (s) => {
    expect(verdictOfItemStatus(s)).toEqual({ kind: 'failed', reason: `paypal_${s.toLowerCase()}` });
  });
  it('never takes an unknown or missing status as final', () => {
    expect(verdictOfItemStatus('NEW_THING')).toEqual({ kind: 'in_flight', status: 'unknown:NEW_THING' });
    expect(verdictOfItemStatus(undefined)).toEqual({ kind: 'in_flight', status: 'PENDING' });
  });
});

describe('verdictOfBatchStatus', () => {
  it('fails a DENIED batch and says nothing of the others', () => {
    expect(verdictOfBatchStatus('DENIED')).toEqual({ kind: 'failed', reason: 'paypal_denied' });
    expect(verdictOfBatchStatus('PENDING')).toBeNull();
    expect(verdictOfBatchStatus('SUCCESS')).toBeNull();
  });
});

describe('senderBatchIdOf', () => {
  it('is the reimbursement id and the attempt number, the same for every send of one attempt', () => {
    expect(senderBatchIdOf('66a1b2c3d4e5f60718293a4b', 2)).toBe('66a1b2c3d4e5f60718293a4b-2');
  });
});

describe('nextAttempt', () => {
  const record = (attempt: number, final: boolean) => ({
    attempt,
    key: `r-${attempt}`,
    provider: 'paypal' as const,
    final,
  });
  it('starts at 1, goes on only after the last attempt is over, and reuses one that is not', () => {
    expect(nextAttempt(null)).toEqual({ attempt: 1, fresh: true });
    expect(nextAttempt(record(1, true))).toEqual({ attempt: 2, fresh: true });
    expect(nextAttempt(record(2, false))).toEqual({ attempt: 2, fresh: false });
  });
});
