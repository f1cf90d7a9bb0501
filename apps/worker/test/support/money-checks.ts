import { influencerItemResponse, summaryResponse } from '@seedline/domain';
import { moneyOutBySenderItem, request, type PayPalStandIn } from '@seedline/testkit';
import type { Repositories } from '@seedline/db';
import type { MoneyCampaign } from './money-driver.js';
import type { MoneyModel, Track } from './money-model.js';
import { money, type CampaignKey } from './money-plan.js';
import type { Item } from './money-review.js';

/**
 * The final agreement, every figure to the cent: each reimbursement's end state and amount, the PayPal
 * stand-in's record of the money it sent (by receiver and amount), the ledger's entries and its recount, the
 * summary, the influencer list and the CSV export. Returns the problems found (empty when all agree).
 */
export async function finalAgreement(
  model: MoneyModel,
  campaigns: Record<CampaignKey, MoneyCampaign>,
  lists: Record<CampaignKey, Map<string, Item>>,
  standIn: PayPalStandIn,
  repos: Repositories,
): Promise<string[]> {
  const problems: string[] = [];
  const tracks = [...model.tracks.values()];
  const paid = tracks.filter((t) => model.expected(t).state === 'committed');

  // 1. Every approved reimbursement paid, its exact amount, once; nothing else paid.
  const out = moneyOutBySenderItem(standIn.ledger());
  const sent: string[] = [];
  for (const items of out.values())
    for (const i of items) sent.push(`${i.receiver} ${i.amount.value} ${i.amount.currency}`);
  const owedOut = paid.map((t) => `${t.proof?.email} ${money(model.amount(t) ?? 0)} USD`);
  if (JSON.stringify(sent.sort()) !== JSON.stringify(owedOut.sort())) {
    problems.push(`stand-in sent ${sent.length} payouts, the model owes ${owedOut.length}: ${diff(sent, owedOut)}`);
  }
  for (const t of tracks) {
    const money_ = out.get(t.id) ?? [];
    const want = model.expected(t).state === 'committed' ? 1 : 0;
    if (money_.length !== want) problems.push(`${t.handle}: ${money_.length} payouts hold money, want ${want}`);
    const item = lists[t.campaign].get(t.id);
    if (want === 1 && item?.state !== 'paid') problems.push(`${t.handle}: approved but ${item?.state} at the end`);
    if (want === 1 && !item?.paymentReference) problems.push(`${t.handle}: paid without a provider reference`);
  }

  for (const key of ['A', 'B'] as const) {
    const c = campaigns[key];
    const mine = tracks.filter((t) => t.campaign === key);
    const figure = (pred: (t: Track) => boolean) => {
      const ts = mine.filter(pred);
      return { count: ts.length, amount: money(ts.reduce((s, t) => s + (model.amount(t) ?? 0), 0)) };
    };
    const state = (t: Track) => model.expected(t).state;
    const committed = mine.filter((t) => state(t) === 'committed').reduce((s, t) => s + (model.amount(t) ?? 0), 0);
    if (committed !== model.committed[key])
      problems.push(`${key}: model committed ${model.committed[key]} ≠ ${committed}`);

    // 2. The ledger: one move to paid each, deltas summing to what was paid, never past the budget on the way.
    const entries = await repos.conn
      .collection<{ _id: string; reimbursementId: string; to: string; committedDelta: number; at: Date }>(
        'reimbursement_entries',
      )
      .find({ campaignId: c.campaignId })
      .sort({ at: 1, _id: 1 })
      .toArray();
    let running = 0;
    let peak = 0;
    const paidMoves = new Map<string, number>();
    for (const e of entries) {
      running += e.committedDelta;
      peak = Math.max(peak, running);
      if (e.to === 'paid') paidMoves.set(e.reimbursementId, (paidMoves.get(e.reimbursementId) ?? 0) + 1);
    }
    if (running !== committed) problems.push(`${key}: ledger sums to ${running}, paid ${committed}`);
    if (peak > model.budgets[key])
      problems.push(`${key}: ledger committed ${peak} past the budget ${model.budgets[key]}`);
    for (const t of mine) {
      const moves = paidMoves.get(t.id) ?? 0;
      if (moves !== (state(t) === 'committed' ? 1 : 0))
        problems.push(`${t.handle}: ${moves} moves to paid on the ledger`);
    }
    const recount = await repos.recountLedger(c.campaignId, { repair: false });
    const { stored, documents, ledger } = recount.committed;
    if (!recount.ok || stored !== committed || documents !== committed || ledger !== committed) {
      problems.push(`${key}: recount ${JSON.stringify(recount)}, paid ${committed}`);
    }

    // 3. The summary's money figures and budget.
    const summary = summaryResponse.parse((await c.summary()).body);
    const wantFigures = {
      currency: 'USD',
      due: figure((t) => state(t) === 'pending_review'),
      pendingReview: figure((t) => state(t) === 'pending_review'),
      approved: { count: 0, amount: '0.00' },
      paid: figure((t) => state(t) === 'committed'),
      held: figure((t) => state(t) === 'held'),
      failed: { count: 0, amount: '0.00' },
    };
    if (JSON.stringify(summary.reimbursements) !== JSON.stringify(wantFigures)) {
      problems.push(
        `${key} summary: want ${JSON.stringify(wantFigures)}, got ${JSON.stringify(summary.reimbursements)}`,
      );
    }
    if (summary.budgetLeft !== money(model.budgets[key] - committed)) {
      problems.push(`${key}: budgetLeft ${summary.budgetLeft}, want ${money(model.budgets[key] - committed)}`);
    }

    // 4. The influencer list (all pages) and 5. the CSV export: the same state and amount per influencer.
    const listed = await influencerPages(c);
    const csv = await csvRows(c);
    for (const t of mine) {
      const want = model.expected(t);
      const shown = want.state === 'none' ? null : want.state === 'committed' ? 'paid' : want.state;
      const amount = want.amount === null ? null : money(want.amount);
      const item = listed.get(t.id);
      const brief = item?.reimbursement ?? null;
      if ((brief?.state ?? null) !== shown || (brief?.amount ?? null) !== (shown ? amount : null)) {
        problems.push(`${t.handle} in the list: ${JSON.stringify(brief)}, want ${shown} ${amount}`);
      }
      if ((brief?.reason ?? null) !== (shown ? want.reason : null))
        problems.push(`${t.handle}: list reason ${brief?.reason}`);
      const done = item?.status === 'done' || item?.status === 'followed_up';
      if (done !== t.accepted) problems.push(`${t.handle}: status ${item?.status}, accepted post ${t.accepted}`);
      const row = csv.get(t.id);
      const cells = [row?.reimbursementState ?? '', row?.reimbursementAmount ?? '', row?.reimbursementReason ?? ''];
      const wantCells = [shown ?? '', shown ? (amount ?? '') : '', shown ? (want.reason ?? '') : ''];
      if (JSON.stringify(cells) !== JSON.stringify(wantCells)) {
        problems.push(`${t.handle} in the CSV: ${JSON.stringify(cells)}, want ${JSON.stringify(wantCells)}`);
      }
    }
    if (listed.size !== mine.length || csv.size !== mine.length) {
      problems.push(`${key}: ${listed.size} listed, ${csv.size} CSV rows, ${mine.length} influencers`);
    }
  }
  return problems;
}

async function influencerPages(c: MoneyCampaign) {
  const out = new Map<string, ReturnType<typeof influencerItemResponse.parse>>();
  let cursor: string | null = null;
  do {
    const res = await c.list(`?limit=113${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`influencers: ${res.status}`);
    for (const raw of res.body.items as unknown[]) {
      const item = influencerItemResponse.parse(raw);
      out.set(item.id, item);
    }
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return out;
}

/** The CSV export's rows by influencer id, cells by column name (RFC 4180 quoting). */
async function csvRows(c: MoneyCampaign): Promise<Map<string, Record<string, string>>> {
  const res = await request(`${c.base}/influencers.csv`, { token: c.apiKey });
  if (res.status !== 200) throw new Error(`CSV: ${res.status}`);
  const rows = parseCsv(String(res.body));
  const [head, ...body] = rows;
  const out = new Map<string, Record<string, string>>();
  for (const cells of body) {
    const row = Object.fromEntries((head ?? []).map((h, i) => [h, cells[i] ?? '']));
    if (row.id) out.set(row.id, row);
  }
  return out;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

function diff(a: string[], b: string[]): string {
  const extra = a.filter((x) => !b.includes(x)).slice(0, 5);
  const missing = b.filter((x) => !a.includes(x)).slice(0, 5);
  return JSON.stringify({ extra, missing });
}
