import type { SubmissionSnapshot } from './influencer.schema.js';

/**
 * Which submission the influencer's snapshot shows: an accepted one over a rejected one, then the latest,
 * then (same time) the larger id, so the choice does not depend on the order submissions are processed in.
 * A submission waiting for Instagram (`pending`) is not accepted yet, so an accepted one stays shown over it.
 */
export function shows(candidate: SubmissionSnapshot, shown: SubmissionSnapshot | null): boolean {
  if (!shown) return true;
  // The same submission: its verdict replaces its `pending` state, never the reverse, and a removal stays.
  if (candidate.id === shown.id) {
    if (shown.removedAt) return false;
    return candidate.verification !== 'pending' || shown.verification === 'pending';
  }
  if (candidate.accepted !== shown.accepted) return candidate.accepted;
  const a = candidate.at.getTime();
  const b = new Date(shown.at).getTime();
  return a > b || (a === b && candidate.id >= shown.id);
}
