/**
 * Live freshness: a real tracked-link click (GET /l/:token on ingest) → the influencer's `status` event on the
 * campaign's server-sent-event stream (GET /v1/campaigns/:id/stream on the api), through BullMQ, the worker,
 * the database and the Redis live stream. Clicks are sent open-loop at a steady 200 per second, each on a
 * different influencer that has only signed up, so every click moves a status.
 *
 * Redis and FerretDB are processes of their own (PostgreSQL is the machine's).
 */
import { BROWSER_UA, createStack, pollUntil, seedCampaign, uniqueName } from '@seedline/testkit';
import { mapLimit, openLoop, percentile } from './faults/lib/load.mjs';
import { startFerretDb, startRedis } from './faults/lib/services.mjs';

const RATE = 200;

/**
 * Reads an event stream and calls `onStatus(data, receivedAt, sinceAppendMs)` for each `event: status`; the
 * entry id is the Redis time of the worker's XADD, so `sinceAppendMs` is the api's share of the delay.
 */
async function listen(url, apiKey, onStatus, signal) {
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
          if (event === 'status' && data) onStatus(JSON.parse(data), performance.now(), id ? Date.now() - Number(id) : null);
          if (event === 'summary') {
            summaries++;
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
  const durationMs = ctx.quick ? 5_000 : 20_000;
  const clicks = Math.floor((RATE * durationMs) / 1000);
  const redis = await startRedis('bench-fresh');
  const ferret = await startFerretDb('bench-fresh');
  let stack;
  const controller = new AbortController();
  try {
    stack = await createStack('bench-fresh', {
      REDIS_URL: redis.url,
      MONGO_URL: `${ferret.base}/${uniqueName('fresh')}`,
      LINK_RECORD_LIMIT: '10000000',
      PUBLIC_POST_LIMIT: '10000000',
    });
    const c = await seedCampaign(stack);
    log(`signing up ${clicks} influencers`);
    const people = await mapLimit(
      Array.from({ length: clicks }, (_, i) => i),
      16,
      async (i) => c.signup(`fresh.${i.toString(36)}`),
    );
    await pollUntil(async () => (await c.summary()).body.total === clicks, { timeoutMs: 300_000, intervalMs: 1000, what: 'sign-ups applied' });

    const sentAt = new Map();
    const latencies = [];
    const delivery = [];
    let stray = 0;
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
      controller.signal,
    );

    log(`${clicks} clicks at ${RATE}/s`);
    const load = await openLoop({
      rate: RATE,
      durationMs,
      fire: async (i) => {
        const person = people[i];
        sentAt.set(person.influencerId, performance.now());
        const res = await fetch(person.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } }).catch((err) => ({ status: 0, error: err.message }));
        return { status: res.status };
      },
    });
    await pollUntil(() => latencies.length >= load.sent, { timeoutMs: 60_000, intervalMs: 100, what: 'every status on the stream' }).catch(() => undefined);
    const missing = load.sent - latencies.length;
    const redirectP99 = percentile(load.latencies, 99);
    return {
      name: 'api-freshness',
      machine: 'api, ingest and worker as real processes; Redis and FerretDB of their own; load generator on the same 2 cores',
      rows: [
        { metric: 'click → status on the stream p50', value: Math.round(percentile(latencies, 50)), unit: 'ms', note: `${RATE} clicks/s for ${durationMs / 1000} s` },
        { metric: 'click → status on the stream p95', value: Math.round(percentile(latencies, 95)), unit: 'ms' },
        { metric: 'click → status on the stream p99', value: Math.round(percentile(latencies, 99)), unit: 'ms', baseline: 'target', baselineValue: 1000, ratio: Number((percentile(latencies, 99) / 1000).toFixed(2)) },
        { metric: 'worker XADD → event received (api share) p50', value: Math.round(percentile(delivery, 50)), unit: 'ms' },
        { metric: 'worker XADD → event received (api share) p99', value: Math.round(percentile(delivery, 99)), unit: 'ms' },
        { metric: 'statuses not seen within 60 s', value: missing, unit: 'clicks', note: `of ${load.sent} sent, ${load.skipped} skipped by the load generator` },
        { metric: 'redirect latency p99 during the run', value: Math.round(redirectP99), unit: 'ms' },
        { metric: 'summary events during the run', value: stream.summaries(), unit: 'events', note: `coalesced (≤ 4/s); stray status events: ${stray}` },
      ],
    };
  } finally {
    controller.abort();
    await stack?.stop();
    await ferret.stop();
    await redis.stop();
  }
}
