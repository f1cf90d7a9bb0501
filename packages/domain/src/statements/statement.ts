import type { WeekBounds } from './zone-schedule.js';

/**
 * A brand's weekly statement, built from ledger moves recorded in the week: what was paid (one line per
 * payout), and credits for money that came back (a return after payment, a payment the provider reversed).
 * Credits are positive amounts, subtracted in the totals. Amounts are integer minor units here.
 */
export type StatementLineType = 'payout' | 'return_credit' | 'payout_reversed';

/** The fields of a ledger entry a statement reads. */
export interface LedgerMove {
  entryId: string;
  reimbursementId: string;
  campaignId: string;
  /** when the move was recorded (ms) */
  at: number;
  from: string | null;
  to: string;
  amount: number | null;
  currency: string;
  providerRef: string | null;
}

/** Who and what a move was about, looked up from its reimbursement and campaign. */
export interface MoveContext {
  campaignName: string;
  instagramHandle: string | null;
  orderId: string | null;
  paymentReference: string | null;
}

export interface StatementLine {
  type: StatementLineType;
  entryId: string;
  reimbursementId: string;
  campaignId: string;
  campaignName: string;
  instagramHandle: string | null;
  orderId: string | null;
  amount: number;
  currency: string;
  providerReference: string | null;
  at: number;
}

export interface Totals {
  payouts: { count: number; amount: number };
  credits: { count: number; amount: number };
  /** payouts − credits */
  net: number;
}

export interface Statement {
  bounds: WeekBounds;
  closed: boolean;
  lines: StatementLine[];
  byCampaign: ({ campaignId: string; campaignName: string; currency: string } & Totals)[];
  byCurrency: ({ currency: string } & Totals)[];
}

/** What a move means on a statement, if anything: paid money out, or took it back. */
export function lineTypeOf(move: Pick<LedgerMove, 'from' | 'to'>): StatementLineType | null {
  if (move.to === 'paid' && move.from !== 'paid') return 'payout';
  if (move.from === 'paid' && move.to === 'returned') return 'return_credit';
  if (move.from === 'paid' && move.to === 'failed') return 'payout_reversed';
  return null;
}

/** Signed effect of a line on what the brand owes: + for a payout, − for a credit. */
export const signedAmount = (l: Pick<StatementLine, 'type' | 'amount'>): number =>
  l.type === 'payout' ? l.amount : -l.amount;

export function statementLine(move: LedgerMove, ctx: MoveContext): StatementLine | null {
  const type = lineTypeOf(move);
  if (type === null || move.amount === null) return null;
  return {
    type,
    entryId: move.entryId,
    reimbursementId: move.reimbursementId,
    campaignId: move.campaignId,
    campaignName: ctx.campaignName,
    instagramHandle: ctx.instagramHandle,
    orderId: ctx.orderId,
    amount: move.amount,
    currency: move.currency,
    providerReference: move.providerRef ?? ctx.paymentReference,
    at: move.at,
  };
}

const emptyTotals = (): Totals => ({ payouts: { count: 0, amount: 0 }, credits: { count: 0, amount: 0 }, net: 0 });

function add(t: Totals, l: StatementLine): void {
  const side = l.type === 'payout' ? t.payouts : t.credits;
  side.count++;
  side.amount += l.amount;
  t.net += signedAmount(l);
}

/** Lines in time order (entry id breaks ties), totals per campaign and currency and per currency. */
export function buildStatement(bounds: WeekBounds, closed: boolean, lines: readonly StatementLine[]): Statement {
  const sorted = [...lines].sort((a, b) => a.at - b.at || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  const campaigns = new Map<string, Statement['byCampaign'][number]>();
  const currencies = new Map<string, Statement['byCurrency'][number]>();
  for (const l of sorted) {
    const key = `${l.campaignId} ${l.currency}`;
    let c = campaigns.get(key);
    if (!c)
      campaigns.set(
        key,
        (c = { campaignId: l.campaignId, campaignName: l.campaignName, currency: l.currency, ...emptyTotals() }),
      );
    add(c, l);
    let t = currencies.get(l.currency);
    if (!t) currencies.set(l.currency, (t = { currency: l.currency, ...emptyTotals() }));
    add(t, l);
  }
  const byKey =
    <T extends { currency: string }>(k: (x: T) => string) =>
    (a: T, b: T) =>
      k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0;
  return {
    bounds,
    closed,
    lines: sorted,
    byCampaign: [...campaigns.values()].sort(byKey((x) => `${x.campaignName}\u0000${x.campaignId}\u0000${x.currency}`)),
    byCurrency: [...currencies.values()].sort(byKey((x) => x.currency)),
  };
}
