// Redis outage: clicks made while Redis is down go to ingest's fsynced spool; when Redis is back, the spool
// is replayed into BullMQ. Measures the redirect rate while spooling, the replay rate (events/s from ingest's
// own replay timing), and the rate at which the worker then applies the events to MongoDB, checking that
// every click counts exactly once. Runs its own redis-server so that stopping it disturbs no one.
import autocannon from 'autocannon';
import { createStack, pollUntil, request, seedCampaign, TEST_SECRETS } from '@seedline/testkit';
import { campaignTraffic, machine } from './ingest-redirect.bench.mjs';
import { startRedis } from './faults/lib/services.mjs';

const INFLUENCERS = 100;

async function metric(stack, name) {
  const text = (await request(`${stack.ingestUrl}/metrics`)).body;
  const m = new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(String(text));
  return m ? Number(m[1]) : NaN;
}

export default async function run(ctx) {
  const clicks = ctx.quick ? 3000 : 10_000;
  const redis = await startRedis('bench-spool');
  const stack = await createStack(
    'benchspool',
    { REDIS_URL: redis.url, NODE_ENV: 'production', SPOOL_RETRY_MS: '100' },
    ['api', 'ingest'],
  );
  try {
    const c = await seedCampaign(stack);
    for (let i = 0; i < INFLUENCERS; i++) {
      const res = await request(`${stack.ingestUrl}/v1/signups`, {
        method: 'POST',
        token: TEST_SECRETS.INGEST_TOKEN,
        json: { campaignId: c.campaignId, instagramHandle: `bench.${i}` },
      });
      if (res.status !== 202) throw new Error(`sign-up: ${res.status}`);
    }

    ctx.log(`Redis down; ${clicks} clicks`);
    await redis.stop();
    const outage = await autocannon({
      url: stack.ingestUrl,
      connections: 32,
      amount: clicks,
      requests: campaignTraffic(c.campaignId, { links: INFLUENCERS, peopleOnly: true }),
    });
    const redirected = outage['3xx'];
    if (redirected !== clicks || outage.errors)
      throw new Error(`${redirected} of ${clicks} redirected during the outage, ${outage.errors} errors`);
    const spooled = await metric(stack, 'seedline_ingest_spooled_events_total');
    if (spooled !== clicks) throw new Error(`${spooled} events spooled for ${clicks} clicks`);

    ctx.log('Redis back; replaying');
    const back = Date.now();
    await redis.start();
    await pollUntil(async () => (await metric(stack, 'seedline_ingest_replayed_events_total')) === clicks, {
      what: 'the replay',
      timeoutMs: 120_000,
      intervalMs: 20,
    });
    const drained = Date.now() - back;
    const replayEvents = await metric(stack, 'seedline_ingest_last_replay_events');
    const replaySeconds = await metric(stack, 'seedline_ingest_last_replay_seconds');

    ctx.log('worker applying');
    const applyStart = Date.now();
    await stack.start('worker');
    let total = 0;
    await pollUntil(
      async () => {
        const items =
          (await request(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/influencers?limit=500`, { token: c.apiKey }))
            .body.items ?? [];
        total = items.reduce((n, i) => n + i.purchaseClicks, 0);
        if (total > clicks) throw new Error(`${total} clicks counted for ${clicks} made`);
        return total === clicks;
      },
      { what: 'every click applied', timeoutMs: 600_000, intervalMs: 250 },
    );
    const applySeconds = (Date.now() - applyStart) / 1000;

    return {
      name: 'ingest-spool',
      machine: machine(),
      rows: [
        {
          metric: 'redirects while Redis is down (spooling)',
          value: Math.round(outage.requests.average),
          unit: 'req/s',
          note: `${clicks} clicks, 32 connections, p99 ${outage.latency.p99} ms; every one 302 and fsynced`,
        },
        {
          metric: 'spool replay rate',
          value: Math.round(replayEvents / replaySeconds),
          unit: 'events/s',
          note: `${replayEvents} events in ${replaySeconds.toFixed(2)} s (ingest's own replay timing)`,
        },
        {
          metric: 'Redis back → spool drained',
          value: drained / 1000,
          unit: 's',
          note: 'from starting redis-server to an empty spool: restart, the ingest reconnect (≤ 1 s backoff) and the replay',
        },
        {
          metric: 'worker apply rate after the outage',
          value: Math.round(clicks / applySeconds),
          unit: 'events/s',
          note: `worker start to all ${clicks} clicks counted, exactly once (${total}); FerretDB`,
        },
      ],
    };
  } finally {
    if (!redis.current) await redis.start().catch(() => undefined); // so that the stack's keys can be removed
    await stack.stop();
    await redis.remove();
  }
}
