// Click jobs as the tracked-link route enqueues them, and the drain rate of a backlog of them through a real
// worker process: shared by the worker benchmarks so that every figure is of the same job shape.
import { randomBytes } from 'node:crypto';
import { JOB_CATALOGUE } from '@seedline/domain';
import { seededRandom } from '@seedline/testkit';

/** The worker's default CLICK_CONCURRENCY, also given to the no-op worker. */
export const CONCURRENCY = 500;
export const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'paused'];
/** The worker's environment in every worker benchmark (RECOUNT_EVERY_SECONDS: no recount during a drain). */
export const WORKER_ENV = {
  NODE_ENV: 'production',
  // Production refuses the development secrets (and any two equal): this run's own.
  DATA_KEY: randomBytes(32).toString('hex'),
  LINK_SECRET: randomBytes(32).toString('base64url'),
  WEBHOOK_SECRET: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'info',
  WORKER_LOCK_MS: '30000',
  CLICK_CONCURRENCY: String(CONCURRENCY),
  RECOUNT_EVERY_SECONDS: '604800',
};

/** Picks influencer indexes: uniformly, or Zipf-skewed (a few posts take most of the clicks). */
export function sampler(n, zipf, random) {
  if (!zipf) return () => Math.floor(random() * n);
  const cumulative = [];
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative.push((sum += 1 / (i + 1) ** zipf));
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** One click per job, as the tracked-link route enqueues them at low load; times rise, give or take 2 s. */
export function clickJobs({ campaignId, ids, count, zipf, seed, tag, base }) {
  const random = seededRandom(seed);
  const pick = sampler(ids.length, zipf, random);
  return Array.from({ length: count }, (_, i) => {
    const r = random();
    const event = {
      eventId: `${tag}-${i}`,
      link: r < 0.75 ? 'purchase' : 'review',
      campaignId,
      influencerId: ids[pick()],
      at: new Date(base + i * 5 + Math.floor(random() * 2000)).toISOString(),
      human: r < 0.6 || (r >= 0.75 && r < 0.9),
      source: 'link',
      userAgent: 'Mozilla/5.0',
      ipHash: `h${i}`,
    };
    return {
      name: 'clicks',
      data: { events: [event] },
      opts: { ...JOB_CATALOGUE.clicks.options, jobId: `${tag}-${i}` },
    };
  });
}

/** Sign-up jobs for the given influencers (handle `${prefix}${i}`), one per job: the shape the worker still reads (the ingest now sends a tick's sign-ups as one job). */
export function signupJobs(campaignId, ids, prefix) {
  return ids.map((influencerId, i) => ({
    name: 'signups',
    data: {
      eventId: `s-${influencerId}`,
      campaignId,
      influencerId,
      instagramHandle: `${prefix}${i}`,
      at: new Date().toISOString(),
    },
    opts: { ...JOB_CATALOGUE.signups.options, jobId: `s-${influencerId}` },
  }));
}

export async function enqueue(queue, jobs) {
  for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
}

export async function pendingCount(queue) {
  return Object.values(await queue.getJobCounts(...PENDING)).reduce((a, b) => a + b, 0);
}

/**
 * Jobs per second while a backlog of `total` drains: measured from the first sample at or below 95% left
 * (the consumer is warm) to the first sample with nothing left.
 */
export async function drainRate(queue, total, timeoutMs) {
  let start = null;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const left = await pendingCount(queue);
    const now = performance.now();
    if (!start && left <= total * 0.95) start = { at: now, left };
    if (left === 0 && start) return { rate: (start.left / (now - start.at)) * 1000, seconds: (now - start.at) / 1000 };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`backlog of ${total} did not drain within ${timeoutMs} ms`);
}

/**
 * Clicks the worker recorded on a campaign's influencers (every click counts on exactly one counter): each count
 * is the larger of the influencer's own and its counts document's (packages/db/src/influencers/click-counts.ts).
 */
export async function clicksCounted(db, campaignId) {
  const fields = ['purchaseClicks', 'reviewClicks', 'botClicks'];
  const docs = await db
    .collection('influencers')
    .find({ campaignId }, { projection: Object.fromEntries(fields.map((f) => [f, 1])) })
    .toArray();
  let n = 0;
  for (let i = 0; i < docs.length; i += 1000) {
    const part = docs.slice(i, i + 1000);
    const counts = new Map(
      (
        await db
          .collection('influencer_counts')
          .find({ _id: { $in: part.map((d) => d._id) } })
          .toArray()
      ).map((c) => [c._id, c]),
    );
    for (const d of part) for (const f of fields) n += Math.max(d[f] ?? 0, counts.get(d._id)?.[f] ?? 0);
  }
  return n;
}
