import { createStack, PayPalStandIn, startFerretDb, uniqueName } from '@seedline/testkit';
import {
  audit,
  dueInfluencers,
  openRepos,
  payoutEnv,
  reimbursingCampaign,
  settled,
  states,
} from '../../lib/payouts.mjs';
import { CASE_ENV, LABEL_PREFIX, runIfMain } from '../lib/case.mjs';
import { noteSecret } from '../lib/logscan.mjs';
import { startRedis } from '../lib/services.mjs';

/**
 * Reimbursements approved and paid while PayPal (the stand-in) answers 20 % of calls with a 5xx and times out
 * after paying on 10 % of creates, and the worker is SIGKILLed every few seconds. Every reimbursement must end
 * paid or failed with a reason (a tenth of the payees' PayPal accounts fail their payouts), none paid twice, and
 * the cents the database says were paid must be the cents that left the PayPal account.
 */
const def = {
  name: 'payout-chaos',
  title:
    'Payouts through a PayPal failing 20 % of calls, timing out after paying on 10 %, the worker SIGKILLed every few seconds',
  ci: true,
  run: async ({ ci, log }) => {
    const t0 = Date.now();
    const cleanups = [];
    const count = ci ? 30 : 120;
    const chaosMs = ci ? 20_000 : 60_000;
    const checks = [];
    try {
      const label = `${LABEL_PREFIX}-${def.name}`;
      const ferret = await startFerretDb(label);
      cleanups.push(() => ferret.stop());
      const redis = await startRedis(def.name);
      cleanups.push(() => redis.remove());
      const standIn = new PayPalStandIn();
      await standIn.listen(0);
      cleanups.push(() => standIn.close());
      noteSecret(standIn.clientSecret);
      const failing = (i) => i % 10 === 7;
      const emailFor = (i) => `chaos${i}${failing(i) ? '.fails' : ''}@payees.example`;
      standIn.setFaults({
        settleMs: 300,
        outcomes: Object.fromEntries(
          Array.from({ length: count }, (_, i) => i)
            .filter(failing)
            .map((i) => [emailFor(i), ['FAILED']]),
        ),
      });
      const stack = await createStack(label, {
        ...CASE_ENV,
        MONGO_URL: `${ferret.base}/${uniqueName(def.name)}`,
        REDIS_URL: redis.url,
        WORKER_LOCK_MS: '3000',
        ...payoutEnv(standIn),
      });
      cleanups.push(() => stack.stop());
      const { conn, repos } = await openRepos(stack.env.MONGO_URL);
      cleanups.push(() => conn.close());
      const c = await reimbursingCampaign(stack);
      noteSecret(c.apiKey);

      // The chaos: PayPal's faults on from the first payout, and a worker killed every 2–4 s meanwhile.
      standIn.setFaults({ errorRate: 0.2, timeoutAfterPayRate: 0.1 });
      let kills = 0;
      let chaos = true;
      const killer = (async () => {
        while (chaos) {
          await new Promise((r) => setTimeout(r, 2000 + Math.random() * 2000));
          if (!chaos) break;
          await stack.apps.worker.kill();
          kills++;
          await stack.start('worker');
        }
      })();
      const chaosEnds = new Promise((r) => setTimeout(r, chaosMs));
      const payees = await dueInfluencers(stack, c, count, { tag: 'chaos', emailFor });
      for (const p of payees) noteSecret(p.payoutEmail);
      log(`${count} reimbursements due; chaos for ${chaosMs / 1000} s`);
      await chaosEnds;
      chaos = false;
      await killer;
      const faultEndedAt = Date.now();
      log(`chaos over after ${kills} kills; waiting for every payout to settle`);

      const ids = payees.map((p) => p.influencerId);
      let recoveryMs = null;
      let docs;
      try {
        docs = await settled(repos, ids, 120_000);
        recoveryMs = Date.now() - faultEndedAt;
      } catch {
        docs = await states(repos, ids);
      }
      const open = [...docs.values()].filter((d) => !d || (d.state !== 'paid' && d.state !== 'failed'));
      const failed = [...docs.values()].filter((d) => d?.state === 'failed');
      const money = audit(standIn, docs);
      const expectedFailures = payees.filter((p) => failing(p.i)).map((p) => p.influencerId);
      log(
        `settled: ${docs.size - open.length}/${docs.size}; failed ${failed.length}; audit ${JSON.stringify(money)}; PayPal calls ${JSON.stringify(standIn.calls)}`,
      );
      checks.push(
        {
          name: 'faults happened: 5xx answered',
          ok: standIn.calls.errors5xx > 0,
          detail: String(standIn.calls.errors5xx),
        },
        {
          name: 'faults happened: paid, then timed out',
          ok: standIn.calls.timedOut > 0,
          detail: String(standIn.calls.timedOut),
        },
        { name: 'faults happened: worker SIGKILLed', ok: kills > 0, detail: String(kills) },
        {
          name: 'approved but never settled = 0',
          ok: open.length === 0,
          detail: JSON.stringify(open.slice(0, 3).map((d) => d && { id: d._id, state: d.state })),
        },
        { name: 'paid twice = 0', ok: money.twice === 0, detail: String(money.twice) },
        {
          name: 'paid here ⇔ money out at PayPal, same amount',
          ok: money.mismatched === 0,
          detail: JSON.stringify(money.problems),
        },
        {
          name: 'cents of drift (database paid vs PayPal sent) = 0',
          ok: money.driftCents === '0',
          detail: `${money.driftCents} of ${money.paidCents}`,
        },
        {
          name: 'failed exactly where PayPal failed the payout, with its reason',
          ok:
            failed.length === expectedFailures.length &&
            failed.every((d) => d.reason === 'paypal_failed' && expectedFailures.includes(d._id)),
          detail: JSON.stringify(failed.slice(0, 3).map((d) => [d._id, d.reason])),
        },
        {
          name: 'recovered within 60 s of the last kill',
          ok: recoveryMs !== null && recoveryMs <= 60_000,
          detail: recoveryMs === null ? 'never' : `${(recoveryMs / 1000).toFixed(1)} s`,
        },
      );
      return {
        case: def.name,
        title: def.title,
        acknowledged: count,
        found: docs.size - open.length,
        lost: open.length,
        twice: money.twice,
        fiveXX: 0,
        recoveryMs,
        allowedLoss: 0,
        checks,
        notes:
          `${count} reimbursements (a tenth to PayPal accounts that fail); ${kills} worker SIGKILLs in ${chaosMs / 1000} s; ` +
          `PayPal calls ${JSON.stringify(standIn.calls)}; ${money.paidCents} cents paid, drift ${money.driftCents}. ` +
          '"events" here are reimbursements: acknowledged = due, found = settled (paid or failed), lost = never settled, ' +
          'counted twice = paid twice, counter drift = cents between the database and PayPal.',
        drift: {
          measured: true,
          drift: money.driftCents === '0' ? {} : { cents: money.driftCents },
          miscounted: money.mismatched,
        },
        pass: checks.every((x) => x.ok),
        seconds: (Date.now() - t0) / 1000,
      };
    } catch (err) {
      return {
        case: def.name,
        title: def.title,
        error: err.stack ?? String(err),
        pass: false,
        acknowledged: 0,
        found: 0,
        lost: 0,
        twice: 0,
        recoveryMs: null,
        checks,
        seconds: (Date.now() - t0) / 1000,
      };
    } finally {
      for (const c of cleanups.reverse())
        await Promise.race([c(), new Promise((r) => setTimeout(r, 60_000))]).catch(() => undefined);
    }
  },
};
export default def;
await runIfMain(import.meta, def);
