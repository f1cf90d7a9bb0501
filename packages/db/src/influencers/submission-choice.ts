import type { SubmissionSnapshot } from './influencer.schema.js';

/**
 * Which submission the influencer's snapshot shows: an accepted one over a rejected one, then the latest,
 * then (same time) the larger id, so the choice does not depend on the order submissions are processed in.
 */
export function shows(candidate: SubmissionSnapshot, shown: SubmissionSnapshot | null): boolean {
  if (!shown) return true;
  if (candidate.accepted !== shown.accepted) return candidate.accepted;
  const a = candidate.at.getTime();
  const b = new Date(shown.at).getTime();
  return a > b || (a === b && candidate.id >= shown.id);
}
