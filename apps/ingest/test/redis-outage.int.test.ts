import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStack, pollUntil, REPO_ROOT, request, seedCampaign, TEST_SECRETS, type Stack } from '@seedline/testkit';
import { click, DedicatedRedis, JobCounter } from './support/ingest-helpers.js';

interface Person {
  influencerId: string;
  links: { purchase: string; review: string; submit: string };
  clicks: number;
}

/**
 * Redis goes away under a running system: its own redis-server, which the test stops and starts. Ingest
 * must keep answering at once, spool what it acknowledges (also across a restart and a crash of its own),
 * and hand every event over exactly once when Redis is back.
 */
describe('a Redis outage', () => {
  let redis: DedicatedRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await DedicatedRedis.create();
    stack = await createStack('outage', { REDIS_URL: redis.url, SPOOL_RETRY_MS: '200', ENQUEUE_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined); // so that stop() can remove the test's keys
    await stack?.stop();
    await redis?.destroy();
  });

  it('loses no click and no sign-up, and delivers each exactly once, across an ingest restart and crash', async () => {
    const c = await seedCampaign(stack);
    const people: Person[] = [];
    for (const handle of ['outage.one', 'outage.two', 'outage.three'])
      people.push({ ...(await c.signup(handle)), clicks: 0 });
    await pollUntil(async () => (await c.list()).body.items?.length === 3, { what: 'sign-ups before the outage' });
    // The campaign is in ingest's cache from here on; the database stays up, only Redis goes.

    const clickAll = async (rounds: number, ipBase: number) => {
      for (let r = 0; r < rounds; r++) {
        // Concurrent clicks: several share one event-loop tick and so one spooled job.
        const sent = people.map(async (p, i) => {
          const res = await click(p.links.purchase, { ip: `192.0.2.${ipBase + i}`, timeoutMs: 5000 });
          expect(res.status).toBe(302);
          expect(res.headers.get('location')).toBe('https://example.com/product');
          p.clicks++;
        });
        await Promise.all(sent);
      }
    };

    await redis.stop();
    await clickAll(4, 10);
    const late = await request(`${stack.ingestUrl}/v1/signups`, {
      method: 'POST',
      token: TEST_SECRETS.INGEST_TOKEN,
      json: { campaignId: c.campaignId, instagramHandle: 'outage.late' },
      signal: AbortSignal.timeout(5000),
    });
    expect(late.status).toBe(202);
    people.push({ ...(late.body as Omit<Person, 'clicks'>), clicks: 0 });
    const ready = await request(`${stack.ingestUrl}/readyz`);
    expect(ready).toMatchObject({ status: 503, body: { redis: false, spooling: true } });

    // A graceful restart while events wait in the spool.
    await stack.apps.ingest?.stop();
    await stack.start('ingest');
    await clickAll(3, 20);

    // A crash: every answered click was fsynced before its answer.
    await stack.apps.ingest?.kill();
    await stack.start('ingest');
    await clickAll(3, 30);
    expect((await request(`${stack.ingestUrl}/readyz`)).body).toMatchObject({ redis: false, spooling: true });

    await redis.start();
    const spoolDir = join(REPO_ROOT, stack.env.SPOOL_DIR as string);
    await pollUntil(async () => (await request(`${stack.ingestUrl}/readyz`)).body?.spooling === false, {
      what: 'the spool to drain',
      timeoutMs: 30_000,
    });
    expect(readdirSync(spoolDir)).toEqual([]);

    for (const p of people) {
      const d = await pollUntil(
        async () => {
          const body = (await c.influencer(p.influencerId)).body;
          if (body.purchaseClicks !== p.clicks || body.status !== 'purchased') {
            throw new Error(`${p.influencerId}: ${body.purchaseClicks} of ${p.clicks} clicks, ${body.status}`);
          }
          return body;
        },
        { what: 'every click to be applied', timeoutMs: 45_000 },
      );
      expect(d.timeline.filter((e: { type: string }) => e.type === 'purchase_click')).toHaveLength(p.clicks);
    }
    const late_ = people[3] as Person;
    expect((await c.influencer(late_.influencerId)).body.instagramHandle).toBe('outage.late');

    // Exactly once in Redis too: each click event travelled in one job only.
    const jobs = new JobCounter(stack);
    try {
      const events = await pollUntil(
        async () => {
          const all = await jobs.clickEvents();
          return all.length >= people.reduce((n, p) => n + p.clicks, 0) ? all : undefined;
        },
        { what: 'click jobs' },
      );
      const ids = events.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(people.reduce((n, p) => n + p.clicks, 0));
    } finally {
      await jobs.close();
    }
    expect((await c.summary()).body.stages).toMatchObject({ signed_up: 0, purchased: 4 });
  });

  it('counts each click once when Redis hangs instead of going away, and late writes land after all', async () => {
    const c = await seedCampaign(stack);
    const { influencerId, links } = await c.signup('frozen.redis');
    await pollUntil(async () => (await c.influencer(influencerId)).body.status === 'signed_up', {
      what: 'the sign-up',
    });
    const jobs = new JobCounter(stack);
    try {
      redis.freeze();
      // The first clicks wait for a Redis that never answers, up to ENQUEUE_TIMEOUT_MS, and are then spooled;
      // their writes are still in the socket and reach Redis when it resumes, next to the spool's replay.
      const made = 12;
      const answers = await Promise.all(
        Array.from({ length: made }, (_, i) =>
          click(links.purchase, { ip: `198.51.100.${100 + i}`, timeoutMs: 10_000 }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(made).fill(302));
      expect((await request(`${stack.ingestUrl}/readyz`)).body).toMatchObject({ spooling: true });
      redis.thaw();

      await pollUntil(async () => (await request(`${stack.ingestUrl}/readyz`)).body?.spooling === false, {
        what: 'the spool to drain',
      });
      await pollUntil(
        async () => {
          const d = (await c.influencer(influencerId)).body;
          if (d.purchaseClicks !== made || d.status !== 'purchased')
            throw new Error(`${d.purchaseClicks} of ${made} clicks, ${d.status}`);
          return d;
        },
        { what: 'every click once', timeoutMs: 45_000 },
      );
      const mine = (await jobs.clickEvents()).filter((e) => e.influencerId === influencerId).map((e) => e.eventId);
      // The late write and the replay carry the same job ids: Redis holds each click in one job only.
      expect(mine).toHaveLength(made);
      expect(new Set(mine).size).toBe(made);
    } finally {
      redis.thaw();
      await jobs.close();
    }
  });

  it('still redirects when neither Redis nor the spool can take a click, and refuses a sign-up with 503', async () => {
    const c = await seedCampaign(stack);
    const { influencerId, links } = await c.signup('broken.spool');
    expect((await click(links.purchase, { ip: '203.0.113.70' })).status).toBe(302); // campaign now cached
    await pollUntil(async () => (await c.influencer(influencerId)).body.purchaseClicks === 1, {
      what: 'the first click',
    });
    const lostBefore = await lostClicks();

    const spoolDir = join(REPO_ROOT, stack.env.SPOOL_DIR as string);
    await redis.stop();
    // The spool's folder becomes a plain file: every append fails, as on a full or read-only disk.
    rmSync(spoolDir, { recursive: true, force: true });
    writeFileSync(spoolDir, 'not a folder');
    try {
      const res = await click(links.purchase, { ip: '203.0.113.71', timeoutMs: 5000 });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://example.com/product');
      expect(await lostClicks()).toBe(lostBefore + 1);

      const signup = await request(`${stack.ingestUrl}/v1/signups`, {
        method: 'POST',
        token: TEST_SECRETS.INGEST_TOKEN,
        json: { campaignId: c.campaignId, instagramHandle: 'not.stored' },
      });
      expect(signup.status).toBe(503);
      expect(signup.headers.get('retry-after')).toBe('5');
      expect(signup.body.error.code).toBe('unavailable');
    } finally {
      rmSync(spoolDir, { force: true });
      mkdirSync(spoolDir, { recursive: true });
      await redis.start();
    }
    expect((await click(links.purchase, { ip: '203.0.113.72' })).status).toBe(302);
    await pollUntil(async () => (await c.influencer(influencerId)).body.purchaseClicks === 2, {
      what: 'clicks after the repair',
    });
    expect((await c.list()).body.items.map((i: { instagramHandle: string }) => i.instagramHandle)).toEqual([
      'broken.spool',
    ]);
  });

  async function lostClicks(): Promise<number> {
    const text = String((await request(`${stack.ingestUrl}/metrics`)).body);
    return Number(/^seedline_ingest_clicks_lost_total (\d+)$/m.exec(text)?.[1]);
  }
});
