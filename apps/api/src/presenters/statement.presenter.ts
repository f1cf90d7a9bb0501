import { formatMoney, type Statement, type StatementResponse, type Totals } from '@seedline/domain';
import { csvCell } from './influencer.presenter.js';

const iso = (ms: number) => new Date(ms).toISOString();

function presentTotals(currency: string, t: Totals) {
  return {
    currency,
    payouts: { count: t.payouts.count, amount: formatMoney(t.payouts.amount, currency) },
    credits: { count: t.credits.count, amount: formatMoney(t.credits.amount, currency) },
    net: formatMoney(t.net, currency),
  };
}

export function presentStatement(s: Statement): StatementResponse {
  return {
    week: s.bounds.week,
    timezone: s.bounds.zone,
    start: iso(s.bounds.start),
    end: iso(s.bounds.end),
    closed: s.closed,
    lines: s.lines.map((l) => ({
      type: l.type,
      campaignId: l.campaignId,
      campaignName: l.campaignName,
      instagramHandle: l.instagramHandle,
      orderId: l.orderId,
      amount: formatMoney(l.amount, l.currency),
      currency: l.currency,
      providerReference: l.providerReference,
      at: iso(l.at),
      reimbursementId: l.reimbursementId,
      entryId: l.entryId,
    })),
    totals: {
      byCampaign: s.byCampaign.map((c) => ({
        campaignId: c.campaignId,
        campaignName: c.campaignName,
        ...presentTotals(c.currency, c),
      })),
      byCurrency: s.byCurrency.map((c) => presentTotals(c.currency, c)),
    },
  };
}

const CSV_HEADER = [
  'week',
  'type',
  'at',
  'campaign_id',
  'campaign',
  'instagram_handle',
  'order_id',
  'amount',
  'currency',
  'provider_reference',
  'entry_id',
];

/**
 * One row per line, then a `campaign_total` row per campaign and currency and a `total` row per currency
 * (their amount is the net: payouts − credits). Rendered from the JSON statement alone, so a frozen week's
 * CSV is the same bytes on every fetch.
 */
export function statementCsv(s: StatementResponse): string {
  const rows: (string | number | null)[][] = [CSV_HEADER];
  for (const l of s.lines) {
    rows.push([
      s.week,
      l.type,
      l.at,
      l.campaignId,
      l.campaignName,
      l.instagramHandle,
      l.orderId,
      l.amount,
      l.currency,
      l.providerReference,
      l.entryId,
    ]);
  }
  for (const c of s.totals.byCampaign) {
    rows.push([
      s.week,
      'campaign_total',
      s.end,
      c.campaignId,
      c.campaignName,
      null,
      null,
      c.net,
      c.currency,
      null,
      null,
    ]);
  }
  for (const c of s.totals.byCurrency)
    rows.push([s.week, 'total', s.end, null, null, null, null, c.net, c.currency, null, null]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
