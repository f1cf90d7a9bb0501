import { describe, expect, it } from 'vitest';
import { canTransition, isCommitted, REIMBURSEMENT_STATES, TRANSITIONS } from './state.js';

describe('reimbursement state machine', () => {
  it('follows the documented path', () => {
    const path = ['awaiting_proof', 'pending_review', 'approved', 'sending', 'paid'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('awaiting_proof', 'approved')).toBe(true);
  });
  it('never pays twice nor leaves a final state', () => {
    expect(canTransition('paid', 'paid')).toBe(false);
    expect(canTransition('paid', 'sending')).toBe(false);
    expect(canTransition('paid', 'approved')).toBe(false);
    expect(TRANSITIONS.rejected).toEqual([]);
    expect(TRANSITIONS.returned).toEqual([]);
  });
  it('only retries a failed payout through approval again', () => {
    expect(canTransition('failed', 'sending')).toBe(false);
    expect(canTransition('failed', 'approved')).toBe(true);
  });
  it('names only known states and counts approved, sending and paid against the budget', () => {
    for (const [from, tos] of Object.entries(TRANSITIONS)) {
      expect(REIMBURSEMENT_STATES).toContain(from);
      for (const to of tos) expect(REIMBURSEMENT_STATES).toContain(to);
    }
    expect(REIMBURSEMENT_STATES.filter(isCommitted)).toEqual(['approved', 'sending', 'paid']);
  });
});
