import {
  BROWSER_UA,
  pollUntil,
  request,
  seedCampaign,
  submitToken,
  type JsonResponse,
  type Stack,
} from '@seedline/testkit';
import { money, type CampaignKey, type MoneyPlan, type Op, type PlannedInfluencer } from './money-plan.js';
import type { MoneyModel, Track } from './money-model.js';

export type MoneyCampaign = Awaited<ReturnType<typeof seedCampaign>> & {
  key: CampaignKey;
  base: string;
  get(path: string): Promise<JsonResponse>;
  post(path: string, json?: unknown): Promise<JsonResponse>;
};

/** The ops' own parallelism: enough to overlap, few enough for a shared 2-core machine. */
const LANES = 10;

/** Both campaigns through the API (two brands), with the plan's terms and budgets. */
export async function createCampaigns(
  stack: Stack,
  plan: MoneyPlan,
  budgets: Record<CampaignKey, number>,
): Promise<Record<CampaignKey, MoneyCampaign>> {
  const make = async (key: CampaignKey): Promise<MoneyCampaign> => {
    const c = await seedCampaign(stack, {
      name: `Money model ${key}`,
      productUrl: 'https://www.amazon.com/dp/B000000001',
      reviewUrl: 'https://www.amazon.com/review/create-review?asin=B000000001',
      requirements: { hashtags: ['ad'] },
      reimbursement: reimbursementBody(plan, key, plan.terms[key].price, budgets[key]),
    });
    const base = `${stack.apiUrl}/v1/campaigns/${c.campaignId}`;
    return {
      ...c,
      key,
      base,
      get: (path) => request(`${base}${path}`, { token: c.apiKey }),
      post: (path, json = {}) => request(`${base}${path}`, { method: 'POST', token: c.apiKey, json }),
    };
  };
  return { A: await make('A'), B: await make('B') };
}

function reimbursementBody(plan: MoneyPlan, key: CampaignKey, price: number, budget: number) {
  const t = plan.terms[key];
  return {
    price: money(price),
    shipping: money(t.shipping),
    taxRate: t.taxRate,
    bonus: money(t.bonus),
    currency: 'USD',
    approval: t.approval,
    budget: money(budget),
  };
}

/**
 * Runs the plan's ops against the real ingest (sign-ups, tracked links, the submission form's route) and
 * tells the model each op the stack acknowledged. Segments run with LANES influencers at a time.
 */
export class MoneyDriver {
  private readonly links = new Map<number, { purchase: string; review: string; submit: string }>();
  private readonly byN = new Map<number, Track>();
  /** when the last answer of the running segment arrived: a price change must come strictly later */
  private lastAnswerAt = 0;
  readonly refused: string[] = [];

  constructor(
    private readonly stack: Stack,
    private readonly plan: MoneyPlan,
    private readonly model: MoneyModel,
    private readonly campaigns: Record<CampaignKey, MoneyCampaign>,
  ) {}

  trackOf(n: number): Track | undefined {
    return this.byN.get(n);
  }

  async segment(k: number): Promise<void> {
    const chains = this.plan.influencers
      .map((inf) => ({ inf, ops: inf.ops.filter((o) => o.segment === k).map((o) => o.op) }))
      .filter((c) => c.ops.length > 0);
    let next = 0;
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        while (next < chains.length) {
          const chain = chains[next++];
          if (!chain) break;
          for (const op of chain.ops) await this.run(chain.inf, k, op);
        }
      }),
    );
  }

  /** A price change between segments, strictly after every op before it (the clock moves on first). */
  async changePrice(key: CampaignKey, price: number): Promise<void> {
    const after = this.lastAnswerAt;
    await pollUntil(() => Date.now() > after, { intervalMs: 1, what: 'the clock to pass the last answer' });
    const c = this.campaigns[key];
    const res = await request(c.base, {
      method: 'PATCH',
      token: c.apiKey,
      json: { reimbursement: reimbursementBody(this.plan, key, price, this.model.budgets[key]) },
    });
    if (res.status !== 200) throw new Error(`price change: ${res.status} ${JSON.stringify(res.body)}`);
    const history = res.body.reimbursement.priceHistory as { price: string }[];
    if (history.at(-1)?.price !== money(price)) throw new Error(`price history: ${JSON.stringify(history)}`);
  }

  private async run(inf: PlannedInfluencer, segment: number, op: Op): Promise<void> {
    const c = this.campaigns[inf.campaign];
    if (op.kind === 'signup') {
      const { influencerId, links } = await c.signup(inf.handle);
      this.links.set(inf.n, links);
      this.byN.set(inf.n, this.model.track(inf, influencerId));
      return this.answered();
    }
    const links = this.links.get(inf.n);
    const t = this.byN.get(inf.n);
    if (!links || !t) throw new Error(`${inf.handle}: op before its sign-up`);
    if (op.kind === 'click' || op.kind === 'review-click') {
      const url = op.kind === 'click' ? links.purchase : links.review;
      const ua = op.kind === 'click' && !op.human ? 'facebookexternalhit/1.1' : BROWSER_UA;
      const res = await fetch(url, { redirect: 'manual', headers: { 'User-Agent': ua } });
      await res.arrayBuffer();
      if (res.status !== 302) throw new Error(`${inf.handle}: click answered ${res.status}`);
    } else {
      const body: Record<string, unknown> = { token: submitToken(links.submit) };
      if (op.post) {
        body.postUrl = `https://www.instagram.com/p/M${this.plan.seed.toString(36)}x${inf.n}x${segment}/`;
        body.caption = op.post === 'accepted' ? 'Loving it #ad' : 'no tags at all';
      }
      if (op.proof) {
        body.orderId = op.invalid === 'orderId' ? op.proof.orderId.slice(1) : op.proof.orderId;
        body.amountPaid = op.invalid === 'amountPaid' ? `${money(op.proof.amountPaid)}5` : money(op.proof.amountPaid);
        body.payoutEmail = op.proof.payoutEmail;
      }
      const res = await request(`${this.stack.ingestUrl}/v1/submissions`, { method: 'POST', json: body });
      const want = op.invalid ? 400 : 202;
      const paths = (res.body?.error?.details as { path: string }[] | undefined)?.map((d) => d.path) ?? [];
      if (res.status !== want || (op.invalid && !paths.includes(`body.${op.invalid}`))) {
        throw new Error(`${inf.handle}: submission answered ${res.status} ${JSON.stringify(res.body)}`);
      }
      if (op.invalid) this.refused.push(op.invalid);
      if (!op.invalid && op.proof) {
        const missing = res.body.missing as string[];
        if (missing.includes('orderId')) throw new Error(`${inf.handle}: proof reported missing`);
      }
    }
    this.model.applied(t, segment, op);
    this.answered();
  }

  private answered(): void {
    this.lastAnswerAt = Math.max(this.lastAnswerAt, Date.now());
  }
}
