// The clicks queue of an end-to-end stack: waiting for it to drain, filling it with real requests (one click
// each, or tracker batches of 1,000), Redis memory per waiting job, and the drain rate of 1 or more workers.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BROWSER_UA, pollUntil } from '@seedline/testkit';
import { send } from '../faults/lib/http.mjs';
import { openLoop } from '../faults/lib/load.mjs';
import { redisInfoNumber } from '../faults/lib/redis-info.mjs';
import { clientIp, Ledger } from '../faults/lib/workload.mjs';

async function withClicksQueue(stack, fn) {
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  const q = new Queue('clicks', { connection: redis, prefix: stack.prefix });
  try {
    return await fn(q);
  } finally {
    await q.close();
    redis.disconnect();
  }
}

const queueCounts = (stack) =>
  withClicksQueue(stack, (q) => q.getJobCounts('wait', 'paused', 'active', 'delayed', 'completed'));

export async function drained(stack, timeoutMs) {
  await pollUntil(
    async () => {
      const c = await queueCounts(stack);
      return c.wait + c.paused + c.active + c.delayed === 0;
    },
    { timeoutMs, intervalMs: 100, what: 'the clicks queue to drain' },
  );
}

/** Clicks sent one request at a time: each becomes a job of its own. */
async function sendClicksOneByOne(w, n) {
  const ledger = new Ledger();
  const r = await openLoop({
    rate: 400,
    durationMs: (n / 400) * 1000,
    maxInFlight: 4,
    fire: (i) => {
      const p = w.people[i % w.people.length];
      return send(p.links.purchase.replace(/^https?:\/\/[^/]+/, w.stack.ingestUrl), {
        headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': clientIp(p.index) },
      }).then((res) => {
        ledger.classify(p.id, 'purchase', res);
        return res;
      });
    },
  });
  return r.statuses['302'] ?? 0;
}

export async function memoryPerJob(stack, url, w, n) {
  const before = await redisInfoNumber(url, 'memory', 'used_memory');
  const c0 = await queueCounts(stack);
  const events = await sendClicksOneByOne(w, n);
  const c1 = await queueCounts(stack);
  const after = await redisInfoNumber(url, 'memory', 'used_memory');
  const jobs = c1.wait - c0.wait;
  return { delta: after - before, jobs, events, perJob: (after - before) / jobs };
}

/** Tracker batches through POST /v1/clicks: 1000 events per request, one job each. */
async function sendTrackerBatches(w, events) {
  let sent = 0;
  let k = 0;
  while (sent < events) {
    const batch = Array.from({ length: Math.min(1000, events - sent) }, (_, i) => {
      const p = w.people[(sent + i) % w.people.length];
      return {
        eventId: `bench-${Date.now().toString(36)}-${k}-${i}`,
        token: p.links.purchase.split('/l/')[1],
        userAgent: BROWSER_UA,
        ip: clientIp(p.index),
      };
    });
    const r = await send(`${w.stack.ingestUrl}/v1/clicks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.stack.env.INGEST_TOKEN}` },
      body: { events: batch },
    });
    if (r.status !== 202) throw new Error(`/v1/clicks answered ${r.status} ${r.text?.slice(0, 200)}`);
    sent += batch.length;
    k++;
  }
  return { events: sent, jobs: k };
}

export async function memoryPerBatchedEvent(stack, url, w, n) {
  const before = await redisInfoNumber(url, 'memory', 'used_memory');
  const { events, jobs } = await sendTrackerBatches(w, n);
  const after = await redisInfoNumber(url, 'memory', 'used_memory');
  return { events, jobs, perEvent: (after - before) / events };
}

export async function fillBacklog(stack, w, single, batched) {
  const a = await sendClicksOneByOne(w, single);
  const b = await sendTrackerBatches(w, batched);
  return a + b.events;
}

/**
 * Starts `n` workers on the waiting backlog and times until the clicks queue is empty. The queue is paused
 * while they start, so process start-up is not part of the figure.
 */
export async function drainRate(stack, n, events) {
  await withClicksQueue(stack, (q) => q.pause());
  await stack.start('worker');
  for (let i = 1; i < n; i++) await stack.addWorker();
  const t0 = performance.now();
  await withClicksQueue(stack, (q) => q.resume());
  await drained(stack, 600_000);
  const seconds = (performance.now() - t0) / 1000;
  for (const extra of stack.extraWorkers.splice(0)) await extra.stop();
  return { events, seconds, eventsPerSecond: events / seconds };
}
