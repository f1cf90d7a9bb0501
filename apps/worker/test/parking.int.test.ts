import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribeToken } from '@seedline/domain';
import {
  BROWSER_UA,
  createStack,
  pollUntil,
  request,
  seedCampaign,
  startFerretDb,
  startPostgres,
  submitToken,
  TEST_SECRETS,
  uniqueName,
  type OwnFerretDb,
  type OwnPostgres,
  type Stack,
} from '@seedline/testkit';

// Event jobs retry 12 times, doubling from EVENT_RETRY_BASE_MS: 5 ms makes the whole budget about 10 s.
const RETRY_BASE_MS = 5;
const BUDGET_MS = RETRY_BASE_MS * (2 ** 11 - 1);
const PARKING = ['signups', 'clicks', 'submissions', 'unsubscribes'] as const;

/**
 * The database (the PostgreSQL behind FerretDB) down for longer than the event jobs' whole retry budget:
 * sign-ups, clicks, submissions and unsubscribes acknowledged before and during the outage are parked, not
 * failed, and all applied once it is back; /metrics counts them and the worker says so in its log.
 */
describe('event jobs parked through a database outage longer than their retries', { timeout: 300_000 }, () => {
  let pg: OwnPostgres;
  let ferret: OwnFerretDb;
  let stack: Stack;
  let redis: Redis;
  const queues = new Map<string, Queue>();

  beforeAll(async () => {
    pg = await startPostgres('parking');
    ferret = await startFerretDb('parking', { postgresUrl: pg.url });
    stack = await createStack('parking', {
      MONGO_URL: `${ferret.base}/${uniqueName('parking')}`,
      EVENT_RETRY_BASE_MS: String(RETRY_BASE_MS),
      DB_PROBE_MS: '250',
    });
    redis = new Redis(stack.env.REDIS_URL as string, { maxRetriesPerRequest: null });
    for (const q of PARKING) queues.set(q, new Queue(q, { connection: redis, prefix: stack.prefix }));
  });
  afterAll(async () => {
    for (const q of queues.values()) await q.close();
    redis?.disconnect();
    await pg?.start().catch(() => undefined);
    await stack?.stop();
    await ferret?.stop();
    await pg?.remove();
  });

  const metric = async (name: string, queue: string) => {
    const text = (await request<string>(`${stack.apiUrl}/metrics`)).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name}{queue="${queue}"}`));
    return line ? Number(line.split(' ').pop()) : undefined;
  };
  const failed = async () =>
    (await Promise.all([...queues.values()].map((q) => q.getJobCounts('failed')))).reduce((n, c) => n + c.failed!, 0);

  it('applies every acknowledged event once the database is back, none failed, and counts the parked jobs', async () => {
    const c = await seedCampaign(stack, { requirements: { hashtags: ['seedline'] } });
    const ada = await c.signup('ada.parked', { email: 'ada.parked@example.com' });
    await pollUntil(async () => (await c.influencer(ada.influencerId)).body.status === 'signed_up', {
      what: 'the first sign-up applied',
    });

    await pg.stop();
    const downAt = Date.now();
    // Acknowledged while the database is down (ingest serves its campaign from its cache).
    const bea = await c.signup('bea.parked', { email: 'bea.parked@example.com' });
    const click = await fetch(ada.links.purchase, { redirect: 'manual', headers: { 'User-Agent': BROWSER_UA } });
    expect(click.status).toBe(302);
    const submitted = await request(`${stack.ingestUrl}/v1/submissions`, {
      method: 'POST',
      json: {
        token: submitToken(bea.links.submit),
        postUrl: 'https://www.instagram.com/p/PARKED1/',
        caption: '#seedline',
      },
    });
    expect(submitted.status).toBe(202);
    const unsub = signUnsubscribeToken(
      { campaignId: c.campaignId, influencerId: ada.influencerId },
      TEST_SECRETS.LINK_SECRET,
    );
    expect((await fetch(`${stack.ingestUrl}/u/${unsub}`, { method: 'POST', body: '' })).status).toBe(200);

    for (const q of PARKING) {
      await pollUntil(async () => ((await metric('seedline_jobs_parked', q)) ?? 0) >= 1, {
        timeoutMs: 60_000,
        what: `a parked ${q} job`,
      });
    }
    // Outlast the retry budget twice over; nothing may fail meanwhile.
    await pollUntil(async () => (await failed()) > 0 || Date.now() - downAt > 2 * BUDGET_MS + 2000, {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'the retry budget to pass',
    });
    expect(await failed()).toBe(0);
    expect(stack.apps.worker?.logs()).toContain('database unreachable: event jobs are parked');

    await pg.start();
    const detail = async (id: string) => (await c.influencer(id)).body;
    await pollUntil(
      async () => {
        const [a, b] = [await detail(ada.influencerId), await detail(bea.influencerId)];
        return (
          a.status === 'purchased' && a.unsubscribedAt && b.status === 'done' && b.email === 'bea.parked@example.com'
        );
      },
      { timeoutMs: 60_000, what: 'every parked event applied' },
    );
    expect(await failed()).toBe(0);
    expect(stack.apps.worker?.logs()).toContain('database reachable again: parked jobs replayed');
    for (const q of PARKING) {
      expect(await metric('seedline_jobs_parked', q)).toBe(0);
      expect(await metric('seedline_jobs_replayed_total', q)).toBeGreaterThanOrEqual(1);
      expect(await metric('seedline_jobs_parked_total', q)).toBeGreaterThanOrEqual(1);
    }
  });
});
