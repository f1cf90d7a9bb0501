import {
  reimbursementBulkApproveResponse,
  reimbursementItemResponse,
  reimbursementPageResponse,
} from '@seedline/domain';
import { shuffled } from '@seedline/testkit';
import type { MoneyCampaign } from './money-driver.js';
import type { MoneyModel, Track } from './money-model.js';
import { money, type CampaignKey } from './money-plan.js';

export type Item = ReturnType<typeof reimbursementItemResponse.parse>;

/** Every reimbursement of a campaign through the brand's API, page by page (keyset cursor), by id. */
export async function allReimbursements(c: MoneyCampaign, status?: string): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  let cursor: string | null = null;
  do {
    const q = `?limit=97${status ? `&status=${status}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await c.get(`/reimbursements${q}`);
    if (res.status !== 200) throw new Error(`reimbursements: ${res.status} ${JSON.stringify(res.body)}`);
    const page = reimbursementPageResponse.parse(res.body);
    for (const item of page.items) {
      if (out.has(item.id)) throw new Error(`reimbursement ${item.id} on two pages`);
      out.set(item.id, item);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const COMMITTED = ['approved', 'sending', 'paid'];

/**
 * The stack against the model at a checkpoint (the worker drained): automatic decisions are read first,
 * then every influencer's reimbursement must be where the model says, with the model's amount, to the cent.
 */
export function compare(model: MoneyModel, items: Map<string, Item>, campaign: CampaignKey): string[] {
  const problems: string[] = [];
  for (const t of model.tracks.values()) {
    if (t.campaign !== campaign) continue;
    const item = items.get(t.id);
    if (t.decision === 'auto') {
      if (item && COMMITTED.includes(item.state)) model.resolveAuto(t, true);
      else if (item?.state === 'pending_review' && item.reason === 'over_budget') model.resolveAuto(t, false);
      else {
        problems.push(`${t.handle}: automatic approval expected, found ${item?.state ?? 'nothing'}`);
        continue;
      }
    }
    const want = model.expected(t);
    const got = item ? { state: item.state, amount: item.amount, reason: item.reason } : null;
    const state = got && COMMITTED.includes(got.state) ? 'committed' : (got?.state ?? 'none');
    const wantAmount = want.amount === null ? null : money(want.amount);
    if (state !== want.state || (got && (got.amount !== wantAmount || got.reason !== want.reason))) {
      problems.push(
        `${t.handle} (${t.id}): want ${JSON.stringify({ ...want, amount: wantAmount })}, got ${JSON.stringify(got)}`,
      );
    }
    if (item && t.proof && (item.orderId !== t.proof.orderId || item.payoutEmail !== t.proof.email)) {
      problems.push(
        `${t.handle}: proof shown ${item.orderId} ${item.payoutEmail}, sent ${t.proof.orderId} ${t.proof.email}`,
      );
    }
  }
  if (
    items.size !==
    [...model.tracks.values()].filter((t) => t.campaign === campaign && model.expected(t).state !== 'none').length
  ) {
    problems.push(`${campaign}: ${items.size} reimbursements listed`);
  }
  return [...problems, ...model.checkAuto(campaign)];
}

/**
 * The brand reviews: rejects a few, approves some one by one (each answered as the model predicts: 200, or
 * 409 over_budget with what is left), then approves in bulk (by ids, or by status at the last checkpoint)
 * and must get exactly the model's approved and refused lists.
 */
export async function review(
  model: MoneyModel,
  c: MoneyCampaign,
  random: () => number,
  last: boolean,
): Promise<{ problems: string[]; approvals: number }> {
  const problems: string[] = [];
  let approvals = 0;
  const approveOne = async (t: Track) => {
    const want = model.approve(t);
    const res = await c.post(`/reimbursements/${t.id}/approve`);
    approvals++;
    if (want.ok && (res.status !== 200 || !COMMITTED.includes(reimbursementItemResponse.parse(res.body).state))) {
      problems.push(`approve ${t.handle}: want 200, got ${res.status} ${JSON.stringify(res.body)}`);
    }
    if (!want.ok && 'budgetLeft' in want) {
      const e = res.body?.error;
      if (res.status !== 409 || e?.code !== 'over_budget' || e?.details?.budgetLeft !== money(want.budgetLeft)) {
        problems.push(
          `approve ${t.handle}: want 409 over_budget ${money(want.budgetLeft)}, got ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
    }
  };
  for (const t of model.inDecision(c.key, ['held'])) {
    if (random() < 0.25) await rejectOne(model, c, t, 'same order claimed twice', problems);
  }
  const pending = shuffled(model.inDecision(c.key, ['pending', 'over_budget']), random);
  for (const t of pending) {
    const r = random();
    if (r < 0.07) await rejectOne(model, c, t, 'post taken down', problems);
    else if (r < 0.35) await approveOne(t);
  }
  const approvedBefore = model.inDecision(c.key, ['approved']);
  if (approvedBefore[0] && random() < 0.5) await approveOne(approvedBefore[0]);

  const open = model.inDecision(c.key, ['pending', 'over_budget']);
  const byStatus = last || random() < 0.3;
  const chosen = byStatus ? open : open.filter(() => random() < 0.5);
  const again = approvedBefore.slice(0, 2);
  const ids = [...chosen, ...again].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (ids.length === 0) return { problems, approvals };
  const want = { approved: [] as string[], refused: [] as string[] };
  for (const t of ids) {
    const out = model.approve(t);
    if (out.ok) want.approved.push(t.id);
    else want.refused.push(t.id);
  }
  const res = await c.post(
    '/reimbursements/approve',
    byStatus ? { status: 'pending_review' } : { ids: ids.map((t) => t.id) },
  );
  approvals += ids.length;
  if (res.status !== 200) problems.push(`bulk approve: ${res.status} ${JSON.stringify(res.body)}`);
  else {
    const got = reimbursementBulkApproveResponse.parse(res.body);
    // By status the already approved ones are not asked about.
    const wantApproved = byStatus ? want.approved.filter((id) => !again.some((t) => t.id === id)) : want.approved;
    const refusedIds = got.refused.map((r) => r.id);
    if (
      JSON.stringify(got.approved) !== JSON.stringify(wantApproved) ||
      JSON.stringify(refusedIds) !== JSON.stringify(want.refused)
    ) {
      problems.push(
        `bulk approve: want ${JSON.stringify({ approved: wantApproved, refused: want.refused })}, got ${JSON.stringify(got)}`,
      );
    }
    if (got.refused.some((r) => r.code !== 'over_budget'))
      problems.push(`bulk refusals: ${JSON.stringify(got.refused)}`);
  }
  return { problems, approvals };
}

async function rejectOne(model: MoneyModel, c: MoneyCampaign, t: Track, reason: string, problems: string[]) {
  model.reject(t, reason);
  const res = await c.post(`/reimbursements/${t.id}/reject`, { reason });
  if (res.status !== 200 || res.body.state !== 'rejected' || res.body.reason !== reason) {
    problems.push(`reject ${t.handle}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
