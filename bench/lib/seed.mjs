// Fast seeding of big campaigns for benchmarks: influencer documents written with the driver's insertMany in
// big batches (what the worker would have written after sign-ups and clicks), then the stage counters put
// right by the db package's own recount. Never for tests: it bypasses the event pipeline on purpose.
import { influencerModel } from '@seedline/db';
import { influencerIdFor } from '@seedline/domain';
import { mapLimit } from '../faults/lib/load.mjs';

const STATUSES = ['signed_up', 'purchased', 'done', 'followed_up'];
const BATCH = 5000;

/** A stable, scrambled stage for influencer i: 40/30/20/10 % over the four, not correlated with handle order. */
export function rankOf(i) {
  const x = Math.imul(i + 1, 2654435761) >>> 0;
  const p = x % 100;
  return p < 40 ? 0 : p < 70 ? 1 : p < 90 ? 2 : 3;
}

export const handleOf = (i) => `user${i.toString(36).padStart(5, '0')}.${(i * 7919) % 1000}`;

/**
 * The document the worker leaves for influencer `i` of a campaign at stage `rank`, with what it counts as in
 * the campaign's stage counters (`counted`) and the compare-and-set version (`rev`) its status writes set.
 */
export function influencerDoc(campaignId, i, rank, now = Date.now()) {
  const at = new Date(now - 86_400_000 + i);
  const handle = handleOf(i);
  return {
    _id: influencerIdFor(campaignId, handle),
    campaignId,
    instagramHandle: handle,
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
    // The worker raises a click counter to the number of its click events ($max): a document that would be
    // clicked in a benchmark (signed up only, no events) must start at 0.
    botClicks: rank === 0 ? 0 : i % 3,
    remindersSent: rank === 0 ? 1 : 0,
    submission:
      rank >= 2
        ? {
            id: `s-${i}`,
            postUrl: `https://www.instagram.com/p/Cbench${i}/`,
            caption: '#ad',
            accepted: true,
            reasons: [],
            at,
          }
        : null,
    rev: 1,
    casBy: 'seed',
    counted: { stage: STATUSES[rank], purchased: rank >= 1 },
  };
}

/**
 * Campaigns of the given sizes for one brand; their influencers inserted interleaved (a hundredth of every
 * campaign per round), as a platform's data arrives, so no campaign sits alone in one stretch of the table.
 * `signedUpOnly` campaigns hold only signed-up influencers (every first purchase click moves a status).
 * Returns the brand's API key, the campaigns and the seconds spent.
 */
export async function seedCampaigns(conn, repos, specs, { log = () => undefined, rounds = 100, parallel = 3 } = {}) {
  const t0 = performance.now();
  const { brand, apiKey } = await repos.brands.create('Bench brand');
  const campaigns = await mapLimit(specs, 8, async (spec, k) => {
    const c = await repos.campaigns.create(brand._id, {
      name: `Bench ${k} (${spec.n})`,
      productUrl: 'https://example.com/p',
      reviewUrl: 'https://example.com/r',
    });
    return { ...spec, id: c._id };
  });
  const collection = influencerModel(conn).collection;
  const now = Date.now();
  let inserted = 0;
  let lastLog = performance.now();
  for (let r = 0; r < rounds; r++) {
    const docs = [];
    for (const c of campaigns) {
      const chunk = Math.ceil(c.n / rounds);
      for (let i = r * chunk; i < Math.min(c.n, (r + 1) * chunk); i++)
        docs.push(influencerDoc(c.id, i, c.signedUpOnly ? 0 : rankOf(i), now));
    }
    const batches = [];
    for (let i = 0; i < docs.length; i += BATCH) batches.push(docs.slice(i, i + BATCH));
    await mapLimit(batches, parallel, (b) => collection.insertMany(b, { ordered: false }));
    inserted += docs.length;
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      log(
        `  ${inserted.toLocaleString('en-US')} influencers inserted (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
    }
  }
  return { apiKey, brandId: brand._id, campaigns, inserted, seconds: (performance.now() - t0) / 1000 };
}

/** Sizes for `campaigns` campaigns holding `total` influencers: the `fixed` sizes first, the rest shared evenly. */
export function platformSizes(total, campaigns, fixed) {
  const used = fixed.reduce((a, f) => a + f.n, 0);
  const rest = campaigns - fixed.length;
  const each = Math.floor((total - used) / rest);
  const extra = total - used - each * rest;
  return [...fixed, ...Array.from({ length: rest }, (_, i) => ({ n: each + (i < extra ? 1 : 0) }))];
}

/**
 * Puts the campaigns' stage counters right with the db package's recount (one grouped pass per campaign) and
 * returns the seconds it took. Seeded documents already record what they count as; if the recount finds
 * documents that do not (the db package's shape moved on), it stops instead of fixing them one by one.
 */
export async function recountSeeded(repos, ids, parallel = 4) {
  const t0 = performance.now();
  await mapLimit(ids, parallel, async (id) => {
    const r = await repos.recount(id, { repair: false });
    if (r.miscounted > 0)
      throw new Error(
        `seeded influencers of ${id} do not match the db package's counted shape (${r.miscounted} miscounted): update bench/lib/seed.mjs`,
      );
    const fixed = await repos.recount(id, { repair: true });
    if (!fixed.measured) throw new Error(`recount of ${id} could not measure`);
  });
  return (performance.now() - t0) / 1000;
}
