import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A campaign's budget (`_id` = campaign id): `committed` is the sum of the amounts in approved, sending and
 * paid, raised only by a conditional update that cannot take it past `budget` (see budget.ts).
 */
export interface BudgetDoc {
  _id: string;
  currency: string;
  /** minor units; null: no limit */
  budget: number | null;
  committed: number;
  updatedAt: Date;
}

const budgetSchema = new Schema<BudgetDoc>(
  {
    _id: { type: String, required: true },
    currency: { type: String, required: true },
    budget: { type: Number, default: null },
    committed: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'reimbursement_budgets' },
);

export function budgetModel(conn: Connection): Model<BudgetDoc> {
  return conn.models.ReimbursementBudget ?? conn.model<BudgetDoc>('ReimbursementBudget', budgetSchema);
}

/** An order number, claimed by the first reimbursement that showed it (`_id` = the order number). */
export interface OrderClaimDoc {
  _id: string;
  reimbursementId: string;
  campaignId: string;
  at: Date;
}

const orderClaimSchema = new Schema<OrderClaimDoc>(
  {
    _id: { type: String, required: true },
    reimbursementId: { type: String, required: true },
    campaignId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'order_claims' },
);

export function orderClaimModel(conn: Connection): Model<OrderClaimDoc> {
  return conn.models.OrderClaim ?? conn.model<OrderClaimDoc>('OrderClaim', orderClaimSchema);
}
