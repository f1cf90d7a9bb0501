/**
 * Live freshness: a real tracked-link click (GET /l/:token on ingest) → the influencer's `status` event on the
 * campaign's server-sent-event stream (GET /v1/campaigns/:id/stream on the api), through BullMQ, the worker,
 * the database and the Redis live stream. Clicks are sent open-loop at a steady 500 per second for 30 s, each
 * on a different influencer that has only signed up (so every click moves a status) and from an address of
 * its own (X-Forwarded-For; the ingest's per-address limits stay at their defaults). Also: the redirect's
 * latency during the run, and how long after the last click the summary counted every purchase.
 *
 * Redis and FerretDB are processes of their own (PostgreSQL is the project's, with DocumentDB).
 */
import { BROWSER_UA, createStack, startFerretDb, pollUntil, seedCampaign, uniqueName } from '@seedline/testkit';
import { send } from './faults/lib/http.mjs';
import { mapLimit, openLoop, percentile } from './faults/lib/load.mjs';
import { startRedis } from './faults/lib/services.mjs';
import { personAddress } from './lib/clients.mjs';

const RATE = 500;
const FRESHNESS_TARGET_MS = 1000;
const REDIRECT_TARGET_MS = 100;

/**
 * Reads an event stream and calls `onStatus(data, receivedAt, sinceAppendMs)` for each `event: status`; the
 * entry id is the Redis time of the worker's XADD, so `sinceAppendMs` is the api's share of the delay.
 */
async function listen(url, apiKey, onStatus, onSummary, signal) {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${apiKey}`, Accept: 'text/event-stream' }, signal });
  if (res.status !== 200) throw new Error(`stream: ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  let summaries = 0;
  let ready;
  const first = new Promise((resolve) => (ready = resolve));
  const done = (async () => {
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          const id = /^id: (\d+)-\d+$/m.exec(block)?.[1];
          if (event === 'status' && data)
            onStatus(JSON.parse(data), performance.now(), id ? Date.now() - Number(id) : null);
          if (event === 'summary') {
            summaries++;
            if (data) onSummary(JSON.parse(data), performance.now());
            ready();
          }
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  // The first summary comes after the stream joined the campaign's live feed: from then on nothing is missed.
  await first;
  return { done, summaries: () => summaries };
}

export default async function run(ctx) {
  const log = ctx.log ?? (() => undefined);
  const durationMs = ctx.quick ? 5_000 : 30_000;
  const clicks = Math.floor((RATE * durationMs) / 1000);
  const redis = await startRedis('bench-fresh');
  const ferret = await startFerretDb('bench-fresh');
  let stack;
  const controller = new AbortController();
  try {
    stack = await createStack('bench-fresh', {
      REDIS_URL: redis.url,
      MONGO_URL: `${ferret.base}/${uniqueName('fresh')}`,
    });
    const c = await seedCampaign(stack);
    log(`signing up ${clicks} influencers`);
    const t0 = performance.now();
    const people = await mapLimit(
      Array.from({ length: clicks }, (_, i) => i),
      32,
      async (i) => {
        const r = await send(`${stack.ingestUrl}/v1/signups`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.env.INGEST_TOKEN}` },
          body: { campaignId: c.campaignId, instagramHandle: `fresh.${i.toString(36)}` },
        });
        if (r.status !== 202) throw new Error(`sign-up answered ${r.status} ${r.text ?? r.error}`);
        return r.body;
      },
    );
    await pollUntil(async () => (await c.summary()).body.total === clicks, {
      timeoutMs: 300_000,
      intervalMs: 1000,
      what: 'sign-ups applied',
    });
    log(`  ${clicks} sign-ups applied in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const sentAt = new Map();
    const latencies = [];
    const delivery = [];
    let stray = 0;
    const summaries = [];
    const stream = await listen(
      `${stack.apiUrl}/v1/campaigns/${c.campaignId}/stream`,
      c.apiKey,
      (data, at, sinceAppendMs) => {
        if (sinceAppendMs !== null) delivery.push(sinceAppendMs);
        const t = sentAt.get(data.influencerId);
        if (t === undefined || data.status !== 'purchased') {
          stray++;
          return;
        }
        latencies.push(at - t);
        sentAt.delete(data.influencerId);
      },
      (summary, at) => summaries.push({ at, purchased: summary.stages?.purchased ?? 0 }),
      controller.signal,
    );

    log(`${clicks} clicks at ${RATE}/s`);
    let lastSentAt = 0;
    const load = await openLoop({
      rate: RATE,
      durationMs,
      fire: (i) => {
        const person = people[i];
        lastSentAt = performance.now();
        sentAt.set(person.influencerId, lastSentAt);
        return send(person.links.purchase, {
          headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': personAddress(i) },
        });
      },
    });
    const redirected = load.statuses['302'] ?? 0;
    await pollUntil(() => latencies.length >= redirected, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'every status on the stream',
    }).catch(() => undefined);
    const counted = await pollUntil(() => summaries.find((x) => x.purchased >= redirected)?.at ?? false, {
      timeoutMs: 30_000,
      intervalMs: 100,
    }).catch(() => null);
    const missing = redirected - latencies.length;
    const redirectP99 = percentile(load.latencies, 99);
    const p99 = percentile(latencies, 99);
    const sendSeconds = load.sendMs / 1000;
    return {
      name: 'api-freshness',
      machine:
        'api, ingest and worker as real processes; Redis and FerretDB of their own; load generator on the same 2 cores',
      rows: [
        {
          metric: 'click → status on the stream p50',
          value: Math.round(percentile(latencies, 50)),
          unit: 'ms',
          note: `${RATE} first purchase clicks/s offered for ${durationMs / 1000} s (${Math.round(load.sent / sendSeconds)}/s sent), each from its own address; ${redirected} redirected (${JSON.stringify(load.statuses)})`,
        },
        { metric: 'click → status on the stream p95', value: Math.round(percentile(latencies, 95)), unit: 'ms' },
        {
          metric: 'click → status on the stream p99',
          value: Math.round(p99),
          unit: 'ms',
          baseline: 'target',
          baselineValue: FRESHNESS_TARGET_MS,
          ratio: Number((p99 / FRESHNESS_TARGET_MS).toFixed(2)),
          note: `${RATE} status changes/s; ${p99 < FRESHNESS_TARGET_MS && missing === 0 ? 'within' : 'over'} the target`,
        },
        {
          metric: 'worker XADD → event received (api share) p50',
          value: Math.round(percentile(delivery, 50)),
          unit: 'ms',
        },
        {
          metric: 'worker XADD → event received (api share) p99',
          value: Math.round(percentile(delivery, 99)),
          unit: 'ms',
        },
        {
          metric: 'statuses not seen within 60 s',
          value: missing,
          unit: 'clicks',
          note: `of ${redirected} redirected, ${load.skipped} skipped by the load generator`,
        },
        {
          metric: 'redirect latency p99 during the run',
          value: Math.round(redirectP99),
          unit: 'ms',
          baseline: 'target',
          baselineValue: REDIRECT_TARGET_MS,
          ratio: Number((redirectP99 / REDIRECT_TARGET_MS).toFixed(2)),
          note: `p50 ${Math.round(percentile(load.latencies, 50))} ms, from the scheduled send time (open loop)`,
        },
        {
          metric: 'last click → summary counts every purchase',
          value: counted === null ? 'not within 30 s' : Math.max(0, Math.round(counted - lastSentAt)),
          unit: 'ms',
          note: 'first summary event on the stream whose stages.purchased reached the clicks redirected',
        },
        {
          metric: 'summary events during the run',
          value: stream.summaries(),
          unit: 'events',
          note: `coalesced (≤ 4/s); stray status events: ${stray}`,
        },
      ],
    };
  } finally {
    controller.abort();
    await stack?.stop();
    await ferret.stop();
    await redis.stop();
  }
}
