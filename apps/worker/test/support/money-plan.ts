import { seededRandom, shuffled } from '@seedline/testkit';

/**
 * A seeded plan of what a few hundred influencers of two reimbursing campaigns do, split into segments: the ops
 * of one segment run concurrently (each influencer's in order); between segments comes a barrier, a price
 * change (every op before it answered first) or a checkpoint (the worker drained, then the brand reviews). The
 * plan is pure data: the same seed gives the same plan.
 */

export type CampaignKey = 'A' | 'B';

/** A campaign's terms in minor units; the tax rate as num/den. */
export interface PlanTerms {
  price: number;
  shipping: number;
  taxRate: string;
  taxNum: number;
  taxDen: number;
  bonus: number;
  approval: 'auto' | 'review';
}

export interface PlannedProof {
  orderId: string;
  /** minor units */
  amountPaid: number;
  /** as sent (mixed case at times: stored and paid lower-cased) */
  payoutEmail: string;
}

export type Op =
  | { kind: 'signup' }
  | { kind: 'click'; human: boolean }
  | { kind: 'review-click' }
  | { kind: 'submit'; post?: 'accepted' | 'rejected'; proof?: PlannedProof; invalid?: 'orderId' | 'amountPaid' };

export interface PlannedInfluencer {
  n: number;
  handle: string;
  campaign: CampaignKey;
  ops: { segment: number; op: Op }[];
}

export interface Barrier {
  prices: { campaign: CampaignKey; price: number }[];
  checkpoint: boolean;
}

export interface MoneyPlan {
  seed: number;
  influencers: PlannedInfluencer[];
  /** barriers[k] follows segment k; the last one is always a checkpoint */
  barriers: Barrier[];
  terms: Record<CampaignKey, PlanTerms>;
}

export const SEGMENTS = 8;
const A_TERMS: PlanTerms = {
  price: 2000,
  shipping: 499,
  taxRate: '0.0825',
  taxNum: 825,
  taxDen: 10_000,
  bonus: 100,
  approval: 'review',
};
const B_TERMS: PlanTerms = {
  price: 1500,
  shipping: 0,
  taxRate: '0.07',
  taxNum: 7,
  taxDen: 100,
  bonus: 0,
  approval: 'auto',
};
const NEW_PRICES: Record<CampaignKey, number[]> = { A: [1850, 2200, 2499, 1999, 2105], B: [1299, 1750, 1615, 1401] };

/**
 * Segment barriers: checkpoints after segments 1, 3, 5 and 7; a price change after each other segment (one
 * campaign, the other one too half of the time) and now and then with a checkpoint.
 */
function barriers(random: () => number): Barrier[] {
  const out: Barrier[] = [];
  for (let k = 0; k < SEGMENTS; k++) {
    const checkpoint = k % 2 === 1;
    const prices: Barrier['prices'] = [];
    const lead: CampaignKey = random() < 0.5 ? 'A' : 'B';
    for (const campaign of ['A', 'B'] as const) {
      if (k === SEGMENTS - 1) continue;
      const chance = checkpoint ? 0.2 : campaign === lead ? 1 : 0.5;
      if (random() < chance) {
        const list = NEW_PRICES[campaign];
        prices.push({ campaign, price: list[Math.floor(random() * list.length)] as number });
      }
    }
    out.push({ prices, checkpoint });
  }
  return out;
}

/** The segment of the first checkpoint at or after segment `s`. */
export const checkpointAfter = (b: Barrier[], s: number): number => {
  for (let k = s; k < b.length; k++) if (b[k]?.checkpoint) return k;
  return b.length - 1;
};

export function buildPlan(seed: number, count: number): MoneyPlan {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const b = barriers(random);
  const prefix = `m${seed.toString(36)}`;
  let orders = 0;
  const order = () => {
    const k = ++orders;
    return `${String(100 + (seed % 800) + (k % 100)).padStart(3, '0')}-${String(seed % 10_000_000).padStart(7, '0')}-${String(k).padStart(7, '0')}`;
  };
  /** orders already claimed, by the segment of the checkpoint after which their owner is surely due */
  const claimed: { orderId: string; knownAfter: number }[] = [];
  const influencers: PlannedInfluencer[] = [];

  for (let n = 0; n < count; n++) {
    const campaign: CampaignKey = random() < 0.62 ? 'A' : 'B';
    const handle = `${prefix}.${n}`;
    const ops: PlannedInfluencer['ops'] = [];
    const start = int(0, SEGMENTS - 3);
    ops.push({ segment: start, op: { kind: 'signup' } });
    if (random() < 0.25) ops.push({ segment: start, op: { kind: 'click', human: false } });
    const r = random();
    const kind = r < 0.06 ? 'idle' : r < 0.13 ? 'post-only' : r < 0.2 ? 'rejected-post' : 'due';
    const human = kind !== 'idle' && random() < 0.7;
    const email = `${random() < 0.2 ? 'Payee' : 'payee'}.${prefix}.${n}@payees.example`;
    const paid = [int(500, 4000), int(2500, 3200), 2000 + 499 + 206, int(100, 1999)][int(0, 3)] as number;
    const proofSeg = int(start, SEGMENTS - 1);
    // A reused order number: one whose first owner is due by a checkpoint before this proof is decided.
    const known = claimed.filter((c) => c.knownAfter < proofSeg);
    const reused = kind === 'due' && known.length > 0 && random() < 0.12;
    const proof: PlannedProof = {
      orderId: reused ? (known[int(0, known.length - 1)] as { orderId: string }).orderId : order(),
      amountPaid: paid,
      payoutEmail: email,
    };
    if (human) ops.push({ segment: int(start, proofSeg), op: { kind: 'click', human: true } });
    const invalid = random() < 0.08 ? (random() < 0.5 ? 'orderId' : 'amountPaid') : undefined;
    const submit = (segment: number, op: Omit<Extract<Op, { kind: 'submit' }>, 'kind'>) => {
      if (op.proof && invalid) ops.push({ segment, op: { kind: 'submit', ...op, invalid } });
      ops.push({ segment, op: { kind: 'submit', ...op } });
    };
    if (kind === 'post-only') submit(proofSeg, { post: 'accepted' });
    if (kind === 'rejected-post') submit(proofSeg, { post: 'rejected', proof });
    if (kind === 'due') {
      const shape = random();
      // Post and proof together; the post first; or the proof first. The second part often in the same
      // segment, right after the first (their jobs then race in the worker).
      const later = random() < 0.5 ? proofSeg : int(proofSeg, SEGMENTS - 1);
      let dueSeg = proofSeg;
      if (shape < 0.5) submit(proofSeg, { post: 'accepted', proof });
      else if (shape < 0.75) {
        submit(proofSeg, { post: 'accepted' });
        submit(later, { proof });
        dueSeg = later;
      } else {
        submit(proofSeg, { proof });
        submit(later, { post: 'accepted' });
        dueSeg = later;
      }
      if (random() < 0.3) ops.push({ segment: int(dueSeg, SEGMENTS - 1), op: { kind: 'review-click' } });
      // A corrected amount, sent after the brand first saw the reimbursement (campaign A, clickers only, so
      // the price owed does not depend on which proof is the latest).
      const cp = checkpointAfter(b, dueSeg);
      if (campaign === 'A' && human && cp + 1 < SEGMENTS && random() < 0.15) {
        ops.push({ segment: cp + 1, op: { kind: 'submit', proof: { ...proof, amountPaid: int(1000, 3500) } } });
      }
      if (!reused) claimed.push({ orderId: proof.orderId, knownAfter: checkpointAfter(b, dueSeg) });
    }
    // Each influencer's ops in segment order; within a segment, in the order they were planned.
    ops.sort((x, y) => x.segment - y.segment);
    influencers.push({ n, handle, campaign, ops });
  }
  return { seed, influencers: shuffled(influencers, random), barriers: b, terms: { A: A_TERMS, B: B_TERMS } };
}

/** The price in force during segment `s`: the terms', then each barrier's change before it. */
export function priceDuring(plan: MoneyPlan, campaign: CampaignKey, s: number): number {
  let price = plan.terms[campaign].price;
  for (let k = 0; k < s; k++) {
    for (const p of plan.barriers[k]?.prices ?? []) if (p.campaign === campaign) price = p.price;
  }
  return price;
}

/** min(paid, price + shipping + tax) + bonus, tax = (price + shipping) × rate rounded half-up once. */
export function owed(t: PlanTerms, price: number, paid: number): number {
  const base = price + t.shipping;
  const tax = Math.floor((base * t.taxNum * 2 + t.taxDen) / (2 * t.taxDen));
  return Math.min(paid, base + tax) + t.bonus;
}

export const money = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
