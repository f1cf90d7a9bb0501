import { Schema, type Connection, type Model } from 'mongoose';
import { STATUSES, type Status } from '@seedline/domain';

/** What an influencer adds to its campaign's counters: one stage, and whether it counts as a purchase. */
export interface CountKey {
  stage: Status;
  purchased: boolean;
}

export const COUNTER_FIELDS = [...STATUSES, 'estimatedPurchases'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type CounterDelta = Partial<Record<CounterField, number>>;
export type CounterValues = Record<CounterField, number>;

/**
 * A move of the counters, written onto the influencer by the same compare-and-set that changes what it
 * counts as (see influencer.status.ts), then folded into a slot document. `t` is unique to that
 * compare-and-set; the slot keeps `t` as a marker while the move is folded, so folding twice is a no-op.
 */
export interface PendingCount {
  t: string;
  /** campaign id */
  c: string;
  /** the slot it is folded into, chosen by the writer */
  s: number;
  d: CounterDelta;
  at: Date;
}

/**
 * One of a campaign's counter slots. A campaign's counts are the sum over its slots (plus moves not yet
 * folded): writers spread over slots, so a hot campaign does not queue every writer on one document.
 */
export interface StageCounterDoc extends CounterValues {
  _id: string;
  campaignId: string;
  /** markers of moves folded here whose influencer may still hold them (transfer id → when folded) */
  applied?: Record<string, Date>;
}

const stageCounterSchema = new Schema<StageCounterDoc>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    applied: { type: Schema.Types.Mixed },
    ...Object.fromEntries(COUNTER_FIELDS.map((f) => [f, { type: Number, default: 0 }])),
  },
  { versionKey: false, collection: 'stage_counters' },
);
stageCounterSchema.index({ campaignId: 1 });

export function stageCounterModel(conn: Connection): Model<StageCounterDoc> {
  return conn.models.StageCounter ?? conn.model<StageCounterDoc>('StageCounter', stageCounterSchema);
}

export function zeroCounts(): CounterValues {
  return Object.fromEntries(COUNTER_FIELDS.map((f) => [f, 0])) as CounterValues;
}

/** The counter move that takes an influencer from counting as `from` to counting as `to`. */
export function deltaBetween(from: CountKey | null, to: CountKey | null): CounterDelta {
  const d: CounterDelta = {};
  const add = (k: CountKey | null, sign: number) => {
    if (!k) return;
    d[k.stage] = (d[k.stage] ?? 0) + sign;
    if (k.purchased) d.estimatedPurchases = (d.estimatedPurchases ?? 0) + sign;
  };
  add(from, -1);
  add(to, 1);
  for (const f of COUNTER_FIELDS) if (d[f] === 0) delete d[f];
  return d;
}

export function sameKey(a: CountKey | null | undefined, b: CountKey | null | undefined): boolean {
  return (a ?? null) === (b ?? null) || (!!a && !!b && a.stage === b.stage && a.purchased === b.purchased);
}
