// What a user of a stack sees from outside, over HTTP only (issue 24's third "Done when"): sign-ups through the
// ingest, first purchase clicks on the tracked links (each from an address of its own), and the campaign summary
// read with the brand's key. Each phase records the 1-minute load average before and after it.
import { loadavg } from 'node:os';
import { BROWSER_UA, pollUntil, seedCampaign } from '@seedline/testkit';
import { send } from '../faults/lib/http.mjs';
import { mapLimit, openLoop, percentile } from '../faults/lib/load.mjs';
import { signUpPerson } from '../faults/lib/workload.mjs';
import { getJson, timed } from './api-reads.mjs';
import { personAddress } from './clients.mjs';

/** How often the summary is read while waiting for it to count everything. */
const POLL_MS = 100;

/** A campaign whose links redirect to Amazon (allowed without any ALLOWED_REDIRECT_HOSTS). */
export async function amazonCampaign(stack) {
  const c = await seedCampaign(stack, {
    productUrl: 'https://www.amazon.com/dp/B000000001',
    reviewUrl: 'https://www.amazon.com/review/create-review?asin=B000000001',
  });
  return { ...c, summaryUrl: `${stack.apiUrl}/v1/campaigns/${c.campaignId}/summary` };
}

const load = () => Number(loadavg()[0].toFixed(2));

/** The moment (performance.now(), when the answer came) the summary first satisfies `done`, read every 100 ms. */
function summaryUntil(c, done, what, timeoutMs) {
  return pollUntil(
    async () => {
      const body = await getJson(c.summaryUrl, c.apiKey);
      return done(body) ? performance.now() : false;
    },
    { timeoutMs, intervalMs: POLL_MS, what },
  );
}

/**
 * Signs up `n` influencers through the ingest, `inFlight` at a time; returns them, the seconds to acknowledge
 * and how many were sent again. A sign-up without an answer is sent again as a client would: the same handle
 * in the same campaign is the same influencer (CONTRACT.md), so a retry never counts twice.
 */
export async function signUpMany(stack, c, n, { inFlight, prefix }) {
  const t0 = performance.now();
  let retries = 0;
  const one = async (i, tries = 0) => {
    const instagramHandle = `${prefix}_${i}`;
    try {
      return await signUpPerson(stack, c.campaignId, i, undefined, { extra: { instagramHandle } });
    } catch (err) {
      if (tries >= 3) throw err;
      retries++;
      return one(i, tries + 1);
    }
  };
  const people = await mapLimit(
    Array.from({ length: n }, (_, i) => i),
    inFlight,
    (i) => one(i),
  );
  return { people, t0, retries, ackSeconds: (performance.now() - t0) / 1000 };
}

/**
 * Each person's first purchase click, open loop at `rate`/s, person i from address `firstAddress + i`. Returns
 * when the last redirect was acknowledged, the redirects' latency (from the scheduled send time) and the answers.
 */
export async function firstPurchaseClicks(people, { rate, firstAddress }) {
  let lastAck = 0;
  const r = await openLoop({
    rate,
    durationMs: (people.length / rate) * 1000,
    fire: (i) =>
      send(people[i].links.purchase, {
        headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': personAddress(firstAddress + i) },
      }).then((res) => {
        if (res.status === 302) lastAck = Math.max(lastAck, performance.now());
        return res;
      }),
  });
  const redirects = r.latenciesByStatus['302'] ?? [];
  return {
    lastAck,
    redirected: redirects.length,
    skipped: r.skipped,
    statuses: r.statuses,
    redirectP50: percentile(redirects, 50),
    redirectP99: percentile(redirects, 99),
    sentPerSecond: r.sent / (r.sendMs / 1000),
  };
}

/**
 * (a) `n` influencers sign up and are all counted; then each one's first purchase click at `rate`/s. Measured:
 * the seconds from the last click acknowledged to the first summary that counts every purchase.
 */
export async function clicksPhase(stack, { n, rate, inFlight, log }) {
  const c = await amazonCampaign(stack);
  const { people, retries } = await signUpMany(stack, c, n, { inFlight, prefix: 'oa' });
  await summaryUntil(c, (s) => s.total === n, `${n} sign-ups in the summary`, 900_000);
  log(`  (a) ${n} signed up and counted; ${n} first purchase clicks at ${rate}/s`);
  const loadBefore = load();
  const clicks = await firstPurchaseClicks(people, { rate, firstAddress: 0 });
  // A click the ingest never acknowledged may or may not count: the wait is for every acknowledged one (the
  // table shows how many were), so one lost answer does not cost the run.
  const want = clicks.redirected;
  const seen = await summaryUntil(c, (s) => s.stages.purchased >= want, `${want} purchases in the summary`, 300_000);
  return {
    ...clicks,
    n,
    rate,
    signupRetries: retries,
    seconds: Math.max(0, seen - clicks.lastAck) / 1000,
    load: [loadBefore, load()],
  };
}

/**
 * (b) `n` sign-ups through the ingest, `inFlight` at a time, from the first sent to the summary's total counting
 * them all. (c) Right after, `clicks` first purchase clicks at `rate`/s on them, and the moment the last one is
 * acknowledged, `reads` summary reads one after another (no warm-up: the tail under that load is the point).
 */
export async function signupsPhase(stack, { n, inFlight, clicks, rate, reads, log }) {
  const c = await amazonCampaign(stack);
  const loadBefore = load();
  const { people, t0, retries, ackSeconds } = await signUpMany(stack, c, n, { inFlight, prefix: 'ob' });
  const seen = await summaryUntil(c, (s) => s.total === n, `${n} sign-ups in the summary`, 900_000);
  const signups = { n, inFlight, retries, ackSeconds, seconds: (seen - t0) / 1000, load: [loadBefore, load()] };
  log(`  (b) ${n} sign-ups visible in ${signups.seconds.toFixed(1)} s; (c) ${clicks} clicks at ${rate}/s, then reads`);
  const loadBeforeReads = load();
  // Addresses past those of phase (a): every click of the run comes from an address of its own.
  const burst = await firstPurchaseClicks(people.slice(0, clicks), { rate, firstAddress: 1_000_000 });
  const summary = await timed(() => getJson(c.summaryUrl, c.apiKey), reads, 0);
  return {
    signups,
    reads: { ...summary, clicks, rate, clicksRedirected: burst.redirected, load: [loadBeforeReads, load()] },
  };
}
