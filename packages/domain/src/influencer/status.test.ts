import { describe, expect, it } from 'vitest';
import { deriveStatus, mergeFacts, STATUS_RANK, statusFromRank, type StatusFacts } from './status.js';

type Fact = { kind: 'signup' | 'purchase' | 'accepted' | 'review'; at: number };

const FIELD: Record<Fact['kind'], keyof StatusFacts> = {
  signup: 'signedUpAt',
  purchase: 'firstPurchaseClickAt',
  accepted: 'acceptedAt',
  review: 'firstReviewClickAt',
};

function apply(facts: Fact[]): StatusFacts {
  return facts.reduce<StatusFacts>((acc, f) => mergeFacts(acc, { [FIELD[f.kind]]: new Date(f.at) }), {});
}

/** A small seeded generator, so a failing case can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('deriveStatus', () => {
  it('follows the contract for each combination of facts', () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    expect(deriveStatus({ signedUpAt: t(0) }).status).toBe('signed_up');
    expect(deriveStatus({ signedUpAt: t(0), firstPurchaseClickAt: t(1) }).status).toBe('purchased');
    // done whether or not a purchase click was seen
    expect(deriveStatus({ acceptedAt: t(2) }).status).toBe('done');
    // a review click alone is kept but does not count before the post is accepted
    expect(deriveStatus({ firstPurchaseClickAt: t(1), firstReviewClickAt: t(3) }).status).toBe('purchased');
    const early = deriveStatus({ firstReviewClickAt: t(3), acceptedAt: t(5) });
    expect(early.status).toBe('followed_up');
    expect(early.followedUpAt).toEqual(t(5));
    const late = deriveStatus({ acceptedAt: t(5), firstReviewClickAt: t(9) });
    expect(late.followedUpAt).toEqual(t(9));
    expect(late.rank).toBe(STATUS_RANK.followed_up);
  });

  it('maps ranks back to statuses and refuses unknown ones', () => {
    expect(statusFromRank(2)).toBe('done');
    expect(() => statusFromRank(7)).toThrow(RangeError);
  });
});

describe('status is independent of order and repetition (property)', () => {
  const kinds: Fact['kind'][] = ['signup', 'purchase', 'accepted', 'review'];

  it('300 seeded sequences: shuffled and duplicated events give the same facts and status', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = rng(seed);
      const events: Fact[] = [];
      const n = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < n; i++) {
        events.push({
          kind: kinds[Math.floor(rand() * kinds.length)] as Fact['kind'],
          at: Date.UTC(2026, 0, 1) + Math.floor(rand() * 1e7),
        });
      }
      const reference = deriveStatus(apply(events));
      for (let round = 0; round < 5; round++) {
        const duplicated = events.flatMap((e) => (rand() < 0.3 ? [e, e] : [e]));
        expect(deriveStatus(apply(shuffle(duplicated, rand))), `seed ${seed}`).toEqual(reference);
      }
    }
  });

  it('never moves backwards as facts accumulate in any order', () => {
    const rand = rng(42);
    for (let trial = 0; trial < 500; trial++) {
      const events = shuffle(
        kinds.map((kind) => ({ kind, at: Date.UTC(2026, 0, 1) + Math.floor(rand() * 1e6) })),
        rand,
      );
      let facts: StatusFacts = {};
      let rank = -1;
      for (const e of events) {
        facts = mergeFacts(facts, apply([e]));
        const next = deriveStatus(facts).rank;
        expect(next).toBeGreaterThanOrEqual(rank);
        rank = next;
      }
    }
  });
});
