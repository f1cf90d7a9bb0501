/**
 * API read cost for big campaigns: GET /summary and GET /influencers (first page and a page further in, 50
 * items) over a real api process, for campaigns of 10,000 and 100,000 influencers, next to a plain
 * countDocuments of the campaign's influencers on the same database in the same run (the baseline).
 *
 * Influencer documents are inserted directly through the db package into a database of a FerretDB process of
 * its own (PostgreSQL is the machine's), with a 40/30/20/10 spread over the four statuses.
 */
import { connectMongo, createRepositories, ensureIndexes, influencerModel } from '@seedline/db';
import { freePort, startApp } from '@seedline/testkit';
import { mapLimit, percentile } from './faults/lib/load.mjs';
import { startFerretDb } from './faults/lib/services.mjs';

const STATUSES = ['signed_up', 'purchased', 'done', 'followed_up'];
const SPREAD = [0.4, 0.3, 0.2, 0.1];

function statusOf(i, n) {
  let edge = 0;
  for (let s = 0; s < 4; s++) {
    edge += SPREAD[s] * n;
    if (i < edge) return s;
  }
  return 3;
}

async function seedInfluencers(conn, campaignId, n, log) {
  const Influencer = influencerModel(conn);
  const t0 = Date.now();
  const batches = [];
  for (let start = 0; start < n; start += 2000) batches.push(start);
  await mapLimit(batches, 2, async (start) => {
    const docs = [];
    for (let i = start; i < Math.min(n, start + 2000); i++) {
      const rank = statusOf(i, n);
      const at = new Date(Date.now() - (n - i) * 1000);
      docs.push({
        _id: `${campaignId.slice(0, 12)}${i.toString(16).padStart(12, '0')}`,
        campaignId,
        instagramHandle: `user${i.toString(36).padStart(5, '0')}.${(i * 7919) % 1000}`,
        listed: true,
        email: `user${i}@example.com`,
        timezone: 'Europe/Paris',
        signedUpAt: at,
        ...(rank >= 1 ? { firstPurchaseClickAt: at } : {}),
        ...(rank >= 2 ? { acceptedAt: at } : {}),
        ...(rank >= 3 ? { firstReviewClickAt: at } : {}),
        status: STATUSES[rank],
        statusRank: rank,
        purchasedAt: rank >= 1 ? at : null,
        doneAt: rank >= 2 ? at : null,
        followedUpAt: rank >= 3 ? at : null,
        purchased: rank >= 1,
        purchaseClicks: rank >= 1 ? 1 : 0,
        reviewClicks: rank >= 3 ? 1 : 0,
        botClicks: i % 3,
        remindersSent: rank === 0 ? 1 : 0,
        submission: rank >= 2 ? { id: `s-${i}`, postUrl: `https://www.instagram.com/p/Cbench${i}/`, caption: '#ad', accepted: true, reasons: [], at } : null,
      });
    }
    await Influencer.collection.insertMany(docs, { ordered: false });
  });
  log(`seeded ${n} influencers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function timed(fn, iterations) {
  const ms = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

async function getJson(url, apiKey) {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export default async function run(ctx) {
  const log = ctx.log ?? (() => undefined);
  const sizes = [10_000, 100_000];
  const iterations = (n) => (n >= 100_000 ? (ctx.quick ? 1 : 3) : ctx.quick ? 3 : 10);
  const ferret = await startFerretDb('bench-api-read');
  const mongoUrl = `${ferret.base}/bench_api_read`;
  const conn = await connectMongo(mongoUrl, { serverSelectionTimeoutMS: 20_000 });
  const repos = createRepositories(conn);
  let api;
  const rows = [];
  try {
    await conn.dropDatabase();
    await ensureIndexes(repos);
    const { brand, apiKey } = await repos.brands.create('Bench brand');
    const campaigns = [];
    for (const n of sizes) {
      const campaign = await repos.campaigns.create(brand._id, { name: `Bench ${n}`, productUrl: 'https://example.com/p', reviewUrl: 'https://example.com/r' });
      await seedInfluencers(conn, campaign._id, n, log);
      campaigns.push({ n, id: campaign._id });
    }
    const port = await freePort();
    api = await startApp('api', { MONGO_URL: mongoUrl, API_PORT: String(port), ADMIN_TOKEN: 'bench-admin-token-0123456789', LOG_LEVEL: 'warn', BRAND_RATE_LIMIT: '100000', QUEUE_PREFIX: '{bench-api-read}' }, { port, label: 'bench-api-read' });
    const base = `http://127.0.0.1:${port}`;

    for (const { n, id } of campaigns) {
      const k = iterations(n);
      const label = n >= 100_000 ? '100k' : '10k';
      log(`${label}: ${k} iterations each`);
      const first = await getJson(`${base}/v1/campaigns/${id}/influencers?limit=50`, apiKey);
      const deepCursor = (await getJson(`${base}/v1/campaigns/${id}/influencers?limit=500&cursor=${first.nextCursor}`, apiKey)).nextCursor;
      const count = await timed(() => repos.influencerQueries.countAll(id), k);
      const summary = await timed(() => getJson(`${base}/v1/campaigns/${id}/summary`, apiKey), k);
      const page = await timed(() => getJson(`${base}/v1/campaigns/${id}/influencers?limit=50`, apiKey), k);
      const deep = await timed(() => getJson(`${base}/v1/campaigns/${id}/influencers?limit=50&cursor=${deepCursor}`, apiKey), k);
      const check = await getJson(`${base}/v1/campaigns/${id}/summary`, apiKey);
      if (check.total !== n) throw new Error(`summary total ${check.total} != ${n}`);
      const baseline = `countDocuments(campaign) p50`;
      rows.push({ metric: `countDocuments ${label} p50 (baseline)`, value: Math.round(count.p50), unit: 'ms' });
      rows.push({ metric: `countDocuments ${label} p99`, value: Math.round(count.p99), unit: 'ms' });
      for (const [name, r] of [['GET summary', summary], ['GET influencers page 1', page], ['GET influencers page 12', deep]]) {
        rows.push({ metric: `${name} ${label} p50`, value: Math.round(r.p50), unit: 'ms', baseline, baselineValue: Math.round(count.p50), ratio: Number((r.p50 / count.p50).toFixed(2)) });
        rows.push({ metric: `${name} ${label} p99`, value: Math.round(r.p99), unit: 'ms' });
      }
    }
  } finally {
    await api?.stop();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await ferret.stop();
  }
  return {
    name: 'api-read',
    machine: 'FerretDB 1.24 (own process) over the shared PostgreSQL; api as a real process; same machine',
    rows,
  };
}
