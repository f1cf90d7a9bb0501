import { owed, priceDuring, type CampaignKey, type MoneyPlan, type Op, type PlannedInfluencer } from './money-plan.js';

/**
 * The pure model of reimbursements, fed with every op the real stack acknowledged, in the order the ops ran.
 * It knows what each influencer is owed (independently of the product's code) and which state the brand's
 * reviews leave each reimbursement in. The one thing it cannot know in advance is the order in which the
 * worker auto-approves concurrent dues against a budget: those outcomes are read at checkpoints and checked
 * against the budget's rules instead (see `resolveAuto`).
 */

export type Decision = 'pending' | 'held' | 'auto' | 'approved' | 'over_budget' | 'rejected';

export interface Track {
  id: string;
  n: number;
  campaign: CampaignKey;
  handle: string;
  /** the segment of the first human purchase click */
  clickSeg: number | null;
  accepted: boolean;
  reviewClick: boolean;
  /** the latest proof the product must hold (lower-cased address), and the segment it came in */
  proof: { orderId: string; paid: number; email: string; seg: number } | null;
  decision: Decision | null;
  reason: string | null;
  /** the amount at approval or rejection: a later proof no longer changes it */
  frozen: number | null;
}

export interface Expected {
  /** 'committed' = approved, sending or paid */
  state: 'none' | 'awaiting_proof' | 'pending_review' | 'held' | 'committed' | 'rejected';
  amount: number | null;
  reason: string | null;
}

export class MoneyModel {
  readonly tracks = new Map<string, Track>();
  /** order number → the reimbursement that claimed it first */
  readonly claims = new Map<string, string>();
  readonly committed: Record<CampaignKey, number> = { A: 0, B: 0 };

  constructor(
    readonly plan: MoneyPlan,
    readonly budgets: Record<CampaignKey, number>,
  ) {}

  track(inf: PlannedInfluencer, id: string): Track {
    const t: Track = {
      id,
      n: inf.n,
      campaign: inf.campaign,
      handle: inf.handle,
      clickSeg: null,
      accepted: false,
      reviewClick: false,
      proof: null,
      decision: null,
      reason: null,
      frozen: null,
    };
    this.tracks.set(id, t);
    return t;
  }

  /** An op the stack acknowledged (a 302 or a 202; refused ones are never applied). */
  applied(t: Track, segment: number, op: Op): void {
    if (op.kind === 'click' && op.human && t.clickSeg === null) t.clickSeg = segment;
    if (op.kind === 'review-click') t.reviewClick = true;
    if (op.kind !== 'submit' || op.invalid) return;
    if (op.post === 'accepted') t.accepted = true;
    const open = t.decision === null || t.decision === 'pending' || t.decision === 'held';
    if (op.proof && open) {
      const p = op.proof;
      t.proof = { orderId: p.orderId, paid: p.amountPaid, email: p.payoutEmail.toLowerCase(), seg: segment };
    }
  }

  due(t: Track): boolean {
    return t.accepted && t.proof !== null;
  }

  /** What the influencer is owed: the price at the first human purchase click, else at the proof. */
  amount(t: Track): number | null {
    if (!t.proof) return null;
    if (t.frozen !== null) return t.frozen;
    const price = priceDuring(this.plan, t.campaign, t.clickSeg ?? t.proof.seg);
    return owed(this.plan.terms[t.campaign], price, t.proof.paid);
  }

  /** At a checkpoint: decides every reimbursement that became due since the last one. */
  decideNew(): Track[] {
    const fresh: Track[] = [];
    for (const t of this.tracks.values()) {
      if (t.decision !== null || !this.due(t) || !t.proof) continue;
      const owner = this.claims.get(t.proof.orderId);
      if (owner === undefined) this.claims.set(t.proof.orderId, t.id);
      if (owner !== undefined && owner !== t.id) {
        t.decision = 'held';
        t.reason = 'duplicate_order';
      } else if (this.plan.terms[t.campaign].approval === 'review') t.decision = 'pending';
      else t.decision = 'auto';
      fresh.push(t);
    }
    return fresh;
  }

  /**
   * An automatic approval's outcome as the stack decided it: approved (it fitted when the worker reached it)
   * or waiting with reason over_budget. Whether the set of outcomes is possible is `checkAuto`'s question.
   */
  resolveAuto(t: Track, approved: boolean): void {
    if (t.decision !== 'auto') throw new Error(`${t.handle} was not waiting for an automatic decision`);
    if (approved) {
      t.decision = 'approved';
      t.frozen = this.amount(t);
      this.committed[t.campaign] += t.frozen ?? 0;
    } else {
      t.decision = 'over_budget';
      t.reason = 'over_budget';
    }
  }

  /**
   * The budget rules on automatic approvals: committed never past the budget, and every one left waiting
   * did not fit (budgets only shrink here, so what did not fit then does not fit now).
   */
  checkAuto(campaign: CampaignKey): string[] {
    const problems: string[] = [];
    const left = this.budgets[campaign] - this.committed[campaign];
    if (left < 0)
      problems.push(`${campaign}: committed ${this.committed[campaign]} past budget ${this.budgets[campaign]}`);
    for (const t of this.tracks.values()) {
      if (t.campaign !== campaign || t.decision !== 'over_budget') continue;
      const amount = this.amount(t) ?? 0;
      if (amount <= left) problems.push(`${t.handle}: ${amount} waits over budget although ${left} is left`);
    }
    return problems;
  }

  left(campaign: CampaignKey): number {
    return this.budgets[campaign] - this.committed[campaign];
  }

  /** The brand approves one: ok (or already approved), else over budget with what is left. */
  approve(t: Track): { ok: true; fresh: boolean } | { ok: false; budgetLeft: number } | { ok: false; state: string } {
    if (t.decision === 'approved') return { ok: true, fresh: false };
    if (t.decision === 'rejected' || t.decision === null || t.decision === 'auto') {
      return { ok: false, state: t.decision ?? 'awaiting_proof' };
    }
    const amount = this.amount(t) ?? 0;
    if (amount > this.left(t.campaign)) return { ok: false, budgetLeft: this.left(t.campaign) };
    t.decision = 'approved';
    t.reason = null;
    t.frozen = amount;
    this.committed[t.campaign] += amount;
    return { ok: true, fresh: true };
  }

  reject(t: Track, reason: string): void {
    t.frozen = this.amount(t);
    t.decision = 'rejected';
    t.reason = reason;
  }

  expected(t: Track): Expected {
    const exists = t.proof !== null || t.accepted;
    if (!exists) return { state: 'none', amount: null, reason: null };
    if (t.decision === null) return { state: 'awaiting_proof', amount: null, reason: null };
    const amount = this.amount(t);
    switch (t.decision) {
      case 'held':
        return { state: 'held', amount, reason: t.reason };
      case 'pending':
      case 'over_budget':
        return { state: 'pending_review', amount, reason: t.reason };
      case 'approved':
        return { state: 'committed', amount, reason: null };
      case 'rejected':
        return { state: 'rejected', amount, reason: t.reason };
      case 'auto':
        throw new Error(`${t.handle}: automatic decision not read yet`);
    }
  }

  /** Tracks of a campaign in a decision, by id (the order bulk approval goes in). */
  inDecision(campaign: CampaignKey, decisions: Decision[]): Track[] {
    return [...this.tracks.values()]
      .filter((t) => t.campaign === campaign && t.decision !== null && decisions.includes(t.decision))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/**
 * Each campaign's budget: 70 % of what its planned dues would come to (corrections aside), so that some
 * approvals are refused and the refusals matter.
 */
export function plannedBudgets(plan: MoneyPlan): Record<CampaignKey, number> {
  const total: Record<CampaignKey, number> = { A: 0, B: 0 };
  const seen = new Set<string>();
  for (const inf of plan.influencers) {
    let click: number | null = null;
    let proof: { seg: number; paid: number; orderId: string } | null = null;
    let accepted = false;
    for (const { segment, op } of inf.ops) {
      if (op.kind === 'click' && op.human && click === null) click = segment;
      if (op.kind === 'submit' && !op.invalid && op.proof && !proof) {
        proof = { seg: segment, paid: op.proof.amountPaid, orderId: op.proof.orderId };
      }
      if (op.kind === 'submit' && op.post === 'accepted') accepted = true;
    }
    if (!accepted || !proof || seen.has(proof.orderId)) continue;
    seen.add(proof.orderId);
    const price = priceDuring(plan, inf.campaign, click ?? proof.seg);
    total[inf.campaign] += owed(plan.terms[inf.campaign], price, proof.paid);
  }
  return { A: Math.floor(total.A * 0.7), B: Math.floor(total.B * 0.7) };
}
