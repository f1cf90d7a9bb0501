import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryResponse } from '@seedline/domain';
import { pollUntil, seededRandom } from '@seedline/testkit';
import { finalAgreement } from './support/money-checks.js';
import { createCampaigns, MoneyDriver } from './support/money-driver.js';
import { MoneyModel, plannedBudgets } from './support/money-model.js';
import { buildPlan, money, SEGMENTS, type CampaignKey } from './support/money-plan.js';
import { allReimbursements, compare, review, type Item } from './support/money-review.js';
import { payoutStack, type PayoutStack } from './support/payouts.js';
import { TestQueues } from './support/queues.js';

const SEED = Number(process.env.MONEY_MODEL_SEED ?? Date.now() % 1_000_000);
const INFLUENCERS = 300;
const KEYS = ['A', 'B'] as const;

/**
 * Reimbursements end to end against a pure model: 300 influencers of two campaigns (one reviewed by the brand,
 * one approved automatically, two brands, each with a budget short of what its influencers will claim) sign
 * up, click (people and bots), post (accepted and rejected), send proofs of purchase (with the post, before
 * it, after it, corrected later, malformed first), reuse each other's order numbers across both campaigns,
 * while the brand changes prices and reviews (single and bulk). Real ingest, api and worker processes; payouts
 * through the PayPal stand-in. A failing run prints its seed: replay it with MONEY_MODEL_SEED=<seed>.
 */
describe(`reimbursements against a pure model (seed ${SEED}; replay with MONEY_MODEL_SEED=${SEED})`, () => {
  let p: PayoutStack;
  let queues: TestQueues;

  beforeAll(async () => {
    // Every op comes from loopback: the per-address limits would otherwise flag clicks and refuse submissions.
    p = await payoutStack('moneymodel', {
      PUBLIC_POST_LIMIT: '1000000',
      LINK_RECORD_LIMIT: '1000000',
      WORKER_LOCK_MS: '15000',
    });
    queues = new TestQueues(p.stack);
  });
  afterAll(async () => {
    await queues?.close();
    await p?.stop();
  });

  it(
    'pays every approved proof exactly what it is owed, once; holds reused orders; stays within budget; every figure agrees',
    { timeout: 400_000 },
    async () => {
      const plan = buildPlan(SEED, INFLUENCERS);
      const budgets = plannedBudgets(plan);
      const model = new MoneyModel(plan, budgets);
      const campaigns = await createCampaigns(p.stack, plan, budgets);
      const driver = new MoneyDriver(p.stack, plan, model, campaigns);
      const random = seededRandom(SEED ^ 0x5eed);
      const seen = { checkpoints: 0, priceChanges: 0, approvals: 0, overBudget: 0 };
      const why = (what: string) => `${what} (seed ${SEED}; replay with MONEY_MODEL_SEED=${SEED})`;

      for (let k = 0; k < SEGMENTS; k++) {
        await driver.segment(k);
        const barrier = plan.barriers[k];
        if (barrier?.checkpoint) {
          seen.checkpoints++;
          await queues.drained();
          expect(await queues.failures(['signups', 'clicks', 'submissions', 'reimbursements'])).toEqual([]);
          model.decideNew();
          for (const key of KEYS) {
            const items = await allReimbursements(campaigns[key]);
            expect(compare(model, items, key), why(`checkpoint after segment ${k}, campaign ${key}`)).toEqual([]);
            // Paid + approved within the budget, and what is left as the model counts it.
            const summary = summaryResponse.parse((await campaigns[key].summary()).body);
            const r = summary.reimbursements;
            const committed = r
              ? Number(r.paid.amount.replace('.', '')) + Number(r.approved.amount.replace('.', ''))
              : 0;
            expect(committed, why('paid + approved')).toBeLessThanOrEqual(budgets[key]);
            expect(summary.budgetLeft, why('budget left')).toBe(money(model.left(key)));
            const out = await review(model, campaigns[key], random, k === SEGMENTS - 1);
            expect(out.problems, why(`review after segment ${k}, campaign ${key}`)).toEqual([]);
            seen.approvals += out.approvals;
          }
        }
        for (const change of barrier?.prices ?? []) {
          await driver.changePrice(change.campaign, change.price);
          seen.priceChanges++;
        }
      }

      // Every approval ends paid: the worker and the sweep pay through the stand-in.
      const lists: Record<CampaignKey, Map<string, Item>> = await pollUntil(
        async () => {
          const now = { A: await allReimbursements(campaigns.A), B: await allReimbursements(campaigns.B) };
          const moving = [...now.A.values(), ...now.B.values()].some((i) => ['approved', 'sending'].includes(i.state));
          return moving ? undefined : now;
        },
        { timeoutMs: 180_000, intervalMs: 500, what: 'every approved reimbursement to be paid' },
      );
      for (const key of KEYS) expect(compare(model, lists[key], key), why(`the end, campaign ${key}`)).toEqual([]);
      expect(await finalAgreement(model, campaigns, lists, p.standIn, p.repos), why('the end')).toEqual([]);

      // The run held the cases it is about (a plan without them would prove little).
      const tracks = [...model.tracks.values()];
      const count = (pred: (t: (typeof tracks)[number]) => boolean) => tracks.filter(pred).length;
      seen.overBudget = count((t) => t.decision === 'over_budget') + count((t) => t.decision === 'pending');
      expect(seen.checkpoints).toBe(4);
      expect(seen.priceChanges).toBeGreaterThanOrEqual(4);
      expect(count((t) => t.decision === 'approved')).toBeGreaterThan(60);
      expect(count((t) => t.reason === 'duplicate_order')).toBeGreaterThanOrEqual(3);
      expect(count((t) => t.decision === 'rejected')).toBeGreaterThan(0);
      expect(seen.overBudget, 'refused for lack of budget').toBeGreaterThan(0);
      expect(driver.refused.length, 'malformed proofs refused with 400').toBeGreaterThan(0);
      expect(p.standIn.calls.duplicates + p.standIn.calls.create).toBeGreaterThan(60);
    },
  );
});
