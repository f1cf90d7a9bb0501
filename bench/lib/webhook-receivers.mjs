import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { percentile } from '../faults/lib/load.mjs';
import { listAll } from '../faults/lib/workload.mjs';

/**
 * Three receivers on loopback: `ok` answers 200, `hang` never answers, `fail` answers 500. `seen` counts the
 * attempts each got; `ok` also keeps every status change it was told (by webhook-id, so an attempt repeated
 * after a lost answer counts once) and how long after the change it arrived.
 */
export async function receivers() {
  const seen = { ok: 0, hang: 0, fail: 0 };
  /** webhook-id → `${influencerId}:${to}` of every influencer.status_changed the `ok` receiver got */
  const changes = new Map();
  const lagsMs = [];
  const hanging = new Set();
  const server = createServer((req, res) => {
    const kind = req.url?.slice(1) ?? '';
    if (kind in seen) seen[kind]++;
    if (kind === 'hang') {
      req.resume();
      hanging.add(res);
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (kind === 'ok') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const id = String(req.headers['webhook-id']);
        if (body.type === 'influencer.status_changed' && !changes.has(id)) {
          changes.set(id, `${body.data.influencerId}:${body.data.to}`);
          lagsMs.push(Date.now() - Date.parse(body.data.at));
        }
      }
      res.writeHead(kind === 'ok' ? 200 : 500).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    seen,
    changes,
    /** status change → delivered at `ok`, ms: p50 and p99 */
    lag: () => ({ p50: percentile(lagsMs, 50), p99: percentile(lagsMs, 99) }),
    urls: ['ok', 'hang', 'fail'].map((k) => `${base}/${k}`),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/**
 * Of the cohort's influencers whose status moved, how many the `ok` receiver was told reached the status they
 * hold now (the last change of each: it is emitted whatever came before it).
 */
export async function deliveredShare(w, cohort, changes) {
  const items = await listAll(w);
  const told = new Set(changes.values());
  let moved = 0;
  let covered = 0;
  for (const p of new Set(cohort)) {
    const status = items.get(p.id)?.status;
    if (!status || status === 'signed_up') continue;
    moved++;
    if (told.has(`${p.id}:${status}`)) covered++;
  }
  return { moved, covered, share: moved === 0 ? 0 : covered / moved };
}

/**
 * Webhook jobs waiting, running, or due within `withinMs` (fan-outs and attempts: retries scheduled further
 * ahead are not counted). BullMQ scores a delayed job by its due time × 4096.
 */
export async function webhookJobsDue(stack, withinMs) {
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let n = 0;
    for (const q of ['webhook-events', 'webhook-deliveries']) {
      const key = `${stack.prefix}:${q}`;
      const [wait, active, prioritized, due] = await Promise.all([
        redis.llen(`${key}:wait`),
        redis.llen(`${key}:active`),
        redis.zcard(`${key}:prioritized`),
        redis.zcount(`${key}:delayed`, 0, (Date.now() + withinMs) * 0x1000),
      ]);
      n += wait + active + prioritized + due;
    }
    return n;
  } finally {
    redis.disconnect();
  }
}

/**
 * Where the webhook work waits, sampled every `everyMs` until `stop()`: the fan-out queue (`events`), attempts
 * ready to run (`ready`: waiting or due), running (`active`), and the attempts deferred within a minute
 * (`soon`: retries and parked jobs). Returns the samples as one compact line, `t:events/ready/active/soon`.
 */
export function webhookQueueTimeline(stack, everyMs = 5000) {
  const redis = new Redis(stack.env.REDIS_URL, { maxRetriesPerRequest: 1 });
  const t0 = Date.now();
  const samples = [];
  const sample = async () => {
    const now = Date.now();
    const key = (q) => `${stack.prefix}:${q}`;
    const d = key('webhook-deliveries');
    const [events, wait, prioritized, due, active, soon] = await Promise.all([
      redis.llen(`${key('webhook-events')}:wait`),
      redis.llen(`${d}:wait`),
      redis.zcard(`${d}:prioritized`),
      redis.zcount(`${d}:delayed`, 0, now * 0x1000),
      redis.llen(`${d}:active`),
      redis.zcount(`${d}:delayed`, now * 0x1000, (now + 60_000) * 0x1000),
    ]);
    samples.push(`${Math.round((now - t0) / 1000)}:${events}/${wait + prioritized + due}/${active}/${soon}`);
  };
  const timer = setInterval(() => void sample().catch(() => undefined), everyMs);
  return {
    stop() {
      clearInterval(timer);
      redis.disconnect();
      return samples.join(' ');
    },
  };
}
