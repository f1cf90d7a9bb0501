/**
 * The status model. A status is never stored as a "current state" that events mutate: it is derived from
 * facts (the earliest time each thing was first seen), so any order and any number of deliveries of the same
 * events give the same answer.
 */
export const STATUSES = ['signed_up', 'purchased', 'done', 'followed_up'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  signed_up: 'Signed Up',
  purchased: 'Purchased',
  done: 'Done',
  followed_up: 'Followed Up',
};

export const STATUS_RANK: Record<Status, number> = { signed_up: 0, purchased: 1, done: 2, followed_up: 3 };

export function statusFromRank(rank: number): Status {
  const status = STATUSES[rank];
  if (!status) throw new RangeError(`no status has rank ${rank}`);
  return status;
}

/** The earliest moment each fact was observed; absent when never observed. */
export interface StatusFacts {
  signedUpAt?: Date | null;
  /** first human GET of the purchase link */
  firstPurchaseClickAt?: Date | null;
  /** first accepted submission */
  acceptedAt?: Date | null;
  /** first human click on the review link, whenever it happened */
  firstReviewClickAt?: Date | null;
}

export interface DerivedStatus {
  status: Status;
  rank: number;
  purchasedAt: Date | null;
  doneAt: Date | null;
  followedUpAt: Date | null;
}

export function deriveStatus(facts: StatusFacts): DerivedStatus {
  const purchasedAt = facts.firstPurchaseClickAt ?? null;
  const doneAt = facts.acceptedAt ?? null;
  // A review click seen before the post was accepted counts from the moment of acceptance.
  const followedUpAt = doneAt && facts.firstReviewClickAt ? later(doneAt, facts.firstReviewClickAt) : null;
  const status: Status = followedUpAt ? 'followed_up' : doneAt ? 'done' : purchasedAt ? 'purchased' : 'signed_up';
  return { status, rank: STATUS_RANK[status], purchasedAt, doneAt, followedUpAt };
}

/** Merge one more observation into facts, keeping the earliest time of each (commutative, idempotent). */
export function mergeFacts(a: StatusFacts, b: StatusFacts): StatusFacts {
  return {
    signedUpAt: earlier(a.signedUpAt, b.signedUpAt),
    firstPurchaseClickAt: earlier(a.firstPurchaseClickAt, b.firstPurchaseClickAt),
    acceptedAt: earlier(a.acceptedAt, b.acceptedAt),
    firstReviewClickAt: earlier(a.firstReviewClickAt, b.firstReviewClickAt),
  };
}

function earlier(a?: Date | null, b?: Date | null): Date | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}

function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
