import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { influencerItemResponse, summaryResponse } from '@seedline/domain';
import {
  BROWSER_UA,
  createStack,
  pollUntil,
  request,
  seedCampaign,
  seededRandom,
  submitToken,
  TEST_SECRETS,
  type Stack,
} from '@seedline/testkit';

type Item = Record<string, unknown> & { id: string; instagramHandle: string; status: string };

const SEED = Number(process.env.CONSISTENCY_SEED ?? Date.now() % 1_000_000);
const N = 36;
const PREFIXES = ['al', 'am', 'bo', 'zz'];

describe(`summary, list and CSV agree after a randomized event load (seed ${SEED})`, () => {
  let stack: Stack;
  let c: Awaited<ReturnType<typeof seedCampaign>>;
  const expected = new Map<string, { handle: string; status: string; humanPurchase: boolean }>();

  async function allPages(query: string, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res = await c.list(`?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  beforeAll(async () => {
    stack = await createStack('apiconsistency', { PUBLIC_POST_LIMIT: '1000' });
    c = await seedCampaign(stack, { requirements: { hashtags: ['ad'] } });
    const random = seededRandom(SEED);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const click = (url: string, ua = BROWSER_UA) =>
      fetch(url, { redirect: 'manual', headers: { 'User-Agent': ua } }).then((r) => expect(r.status).toBe(302));

    const actions: (() => Promise<unknown>)[] = [];
    const trackerEvents: { eventId: string; token: string; userAgent: string }[] = [];
    for (let i = 0; i < N; i++) {
      const handle = `${pick(PREFIXES)}.${i}_${Math.floor(random() * 1000)}`;
      const { influencerId, links } = await c.signup(random() < 0.5 ? `@${handle.toUpperCase()}` : handle);
      const viaLink = random() < 0.6;
      const humanPurchase = random() < 0.55;
      const accepted = random() < 0.4;
      const rejected = random() < 0.25;
      const review = random() < 0.6;
      if (humanPurchase) {
        if (viaLink) actions.push(() => click(links.purchase));
        else trackerEvents.push({ eventId: `t${i}p`, token: links.purchase.split('/l/')[1]!, userAgent: BROWSER_UA });
      }
      if (random() < 0.4) actions.push(() => click(links.purchase, 'facebookexternalhit/1.1'));
      if (random() < 0.2) actions.push(() => click(links.review, 'curl/8.5.0'));
      const post = (caption: string) => () =>
        request(`${stack.ingestUrl}/v1/submissions`, {
          method: 'POST',
          json: { token: submitToken(links.submit), postUrl: `https://www.instagram.com/p/Cpost${i}x/`, caption },
        }).then((r) => expect(r.status).toBe(202));
      if (rejected) actions.push(post('no tags'));
      if (accepted) actions.push(post('so good #ad'));
      if (review) actions.push(() => click(links.review));
      const status = accepted && review ? 'followed_up' : accepted ? 'done' : humanPurchase ? 'purchased' : 'signed_up';
      expected.set(influencerId, { handle: handle.toLowerCase(), status, humanPurchase });
    }
    // Shuffled and in parallel batches: the order of events must not matter.
    actions.sort(() => random() - 0.5);
    for (let i = 0; i < actions.length; i += 12) await Promise.all(actions.slice(i, i + 12).map((a) => a()));
    if (trackerEvents.length) {
      for (let round = 0; round < 2; round++) {
        // Sent twice: the event ids make the second delivery a no-op.
        const res = await request(`${stack.ingestUrl}/v1/clicks`, {
          method: 'POST',
          token: TEST_SECRETS.INGEST_TOKEN,
          json: { events: trackerEvents },
        });
        expect(res.status).toBe(202);
      }
    }
    await pollUntil(
      async () => {
        const items = await allPages('', 500);
        return items.length === N && items.every((it) => expected.get(it.id)?.status === it.status);
      },
      { timeoutMs: 60_000, intervalMs: 300, what: 'every event to be applied' },
    );
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists every influencer with the status its events imply, in handle order, across cursor pages', async () => {
    const paged = await allPages('', 7);
    const whole = await allPages('', 500);
    expect(paged).toEqual(whole);
    expect(paged.map((i) => i.instagramHandle)).toEqual([...expected.values()].map((e) => e.handle).sort());
    for (const item of paged) {
      influencerItemResponse.parse(item);
      expect(item.status, item.instagramHandle).toBe(expected.get(item.id)?.status);
      expect((item.purchaseClicks as number) > 0).toBe(expected.get(item.id)?.humanPurchase);
    }
  });

  it('counts in the summary exactly what the list shows, per stage', async () => {
    const summary = summaryResponse.parse((await c.summary()).body);
    const items = await allPages('', 500);
    const byStatus = (s: string) => items.filter((i) => i.status === s).length;
    expect(summary.total).toBe(items.length);
    expect(summary.stages).toEqual({
      signed_up: byStatus('signed_up'),
      purchased: byStatus('purchased'),
      done: byStatus('done'),
      followed_up: byStatus('followed_up'),
    });
    expect(summary.estimatedPurchases).toBe(items.filter((i) => (i.purchaseClicks as number) > 0).length);
    for (const status of ['signed_up', 'purchased', 'done', 'followed_up'] as const) {
      const filtered = await allPages(`&status=${status}`, 5);
      expect(filtered.length, status).toBe(summary.stages[status]);
      expect(filtered.every((i) => i.status === status)).toBe(true);
    }
  });

  it('exports the same rows as the list in the CSV, with the same filters', async () => {
    const items = await allPages('', 500);
    const res = await fetch(`${stack.apiUrl}/v1/campaigns/${c.campaignId}/influencers.csv`, {
      headers: { Authorization: `Bearer ${c.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv<Record<string, string>>(await res.text(), { columns: true });
    expect(rows.length).toBe(items.length);
    rows.forEach((row, i) => {
      const item = items[i]!;
      expect(row.id).toBe(item.id);
      expect(row.instagramHandle).toBe(item.instagramHandle);
      expect(row.status).toBe(item.status);
      expect(row.purchaseClicks).toBe(String(item.purchaseClicks));
      expect(row.purchasedAt).toBe(item.purchasedAt ?? '');
    });

    const prefix = PREFIXES.find((p) => items.some((i) => i.instagramHandle.startsWith(p)))!;
    const searched = await allPages(`&q=@${prefix.toUpperCase()}`, 3);
    expect(searched.map((i) => i.id)).toEqual(
      items.filter((i) => i.instagramHandle.startsWith(prefix)).map((i) => i.id),
    );
    const csvSearched = await fetch(
      `${stack.apiUrl}/v1/campaigns/${c.campaignId}/influencers.csv?q=${prefix}&status=${searched[0]?.status ?? 'done'}`,
      {
        headers: { Authorization: `Bearer ${c.apiKey}` },
      },
    );
    const csvRows = parseCsv<Record<string, string>>(await csvSearched.text(), { columns: true });
    expect(csvRows.map((r) => r.id)).toEqual(
      searched.filter((i) => i.status === (searched[0]?.status ?? 'done')).map((i) => i.id),
    );
  });
});
