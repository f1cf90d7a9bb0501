import { Schema, type Connection, type Model } from 'mongoose';
import type { AttributionSummary } from '@seedline/domain';

/**
 * A campaign's attribution totals, computed when a report is stored, so a summary reads one small document
 * whatever the number of rows uploaded. `computedAt` is when the rows it sums were read: a slower upload's
 * older sum never replaces a newer one.
 */
export interface AttributionTotalsDoc {
  _id: string;
  /** null: the campaign has no report rows */
  totals: AttributionSummary | null;
  computedAt: Date;
}

const attributionTotalsSchema = new Schema<AttributionTotalsDoc>(
  {
    _id: { type: String, required: true },
    totals: { type: Schema.Types.Mixed, default: null },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'attribution_totals' },
);

export function attributionTotalsModel(conn: Connection): Model<AttributionTotalsDoc> {
  return (
    conn.models.AttributionTotals ?? conn.model<AttributionTotalsDoc>('AttributionTotals', attributionTotalsSchema)
  );
}
