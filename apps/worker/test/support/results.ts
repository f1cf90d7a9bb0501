import { expect } from 'vitest';
import {
  connectMongo,
  createRepositories,
  type EventDoc,
  type InfluencerDoc,
  type RecountReport,
  type ReminderDoc,
} from '@seedline/db';
import type { seedCampaign } from '@seedline/testkit';
import type { Connection } from 'mongoose';
import type { ExpectedInfluencer, Workload } from './workload.js';

export type Campaign = Awaited<ReturnType<typeof seedCampaign>>;

/** Every influencer the brand sees, through the API's list (all pages), by id. */
export async function listAll(c: Campaign): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  let cursor: string | null = null;
  do {
    const res = await c.list(`?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
    for (const item of res.body.items as Record<string, unknown>[]) out.set(item.id as string, item);
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return out;
}

/** The API's items in the model's shape, keyed by handle so that a mismatch reads well in a diff. */
export function byHandle(items: Map<string, Record<string, unknown>>): Record<string, ExpectedInfluencer> {
  const out: Record<string, ExpectedInfluencer> = {};
  for (const item of items.values()) {
    out[item.instagramHandle as string] = {
      instagramHandle: item.instagramHandle as string,
      status: item.status as string,
      signedUpAt: item.signedUpAt as string | null,
      purchasedAt: item.purchasedAt as string | null,
      doneAt: item.doneAt as string | null,
      followedUpAt: item.followedUpAt as string | null,
      purchaseClicks: item.purchaseClicks as number,
      reviewClicks: item.reviewClicks as number,
      botClicks: item.botClicks as number,
    };
  }
  return out;
}

export function expectedByHandle(w: Workload): Record<string, ExpectedInfluencer> {
  return Object.fromEntries([...w.expected.values()].map((e) => [e.instagramHandle, e]));
}

export function stageCounts(expected: Iterable<ExpectedInfluencer>): Record<string, number> {
  const stages: Record<string, number> = { signed_up: 0, purchased: 0, done: 0, followed_up: 0 };
  for (const e of expected) stages[e.status] = (stages[e.status] ?? 0) + 1;
  return stages;
}

/** Influencers per status in the brand's CSV export (the status column of every row). */
export async function csvStages(apiUrl: string, c: Campaign): Promise<Record<string, number>> {
  const res = await fetch(`${apiUrl}/v1/campaigns/${c.campaignId}/influencers.csv`, {
    headers: { authorization: `Bearer ${c.apiKey}` },
  });
  if (res.status !== 200) throw new Error(`csv: ${res.status}`);
  const [header, ...lines] = (await res.text()).trim().split('\n');
  const at = (header ?? '').split(',').indexOf('status');
  const stages: Record<string, number> = { signed_up: 0, purchased: 0, done: 0, followed_up: 0 };
  for (const line of lines) {
    const status = line.split(',')[at] as string;
    stages[status] = (stages[status] ?? 0) + 1;
  }
  return stages;
}

/** Direct reads of the stack's database, for what the API does not show (every timeline entry). */
export class Db {
  private constructor(readonly conn: Connection) {}

  static async open(url: string): Promise<Db> {
    return new Db(await connectMongo(url));
  }

  async events(campaignId: string): Promise<EventDoc[]> {
    return this.conn.collection<EventDoc>('events').find({ campaignId }).toArray();
  }

  async eventCount(campaignId: string): Promise<number> {
    return this.conn.collection('events').countDocuments({ campaignId });
  }

  async influencers(campaignId: string): Promise<InfluencerDoc[]> {
    return this.conn.collection<InfluencerDoc>('influencers').find({ campaignId }).toArray();
  }

  async reminders(influencerId: string): Promise<ReminderDoc[]> {
    return this.conn.collection<ReminderDoc>('reminders').find({ influencerId }).sort({ attempt: 1 }).toArray();
  }

  /** The recount's comparison of the campaign's stage counters with its documents (nothing repaired). */
  async recount(campaignId: string): Promise<RecountReport> {
    return createRepositories(this.conn).recount(campaignId, { repair: false });
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

/**
 * The summary's stage counters equal the list, the CSV and the model, and the recount finds nothing to
 * repair: no drift, no document counted as something it is not, no counter move left unfolded for long.
 */
export async function expectCountersExact(
  apiUrl: string,
  c: Campaign,
  expected: Record<string, number>,
  db: Db,
): Promise<void> {
  const summary = (await c.summary()).body;
  const listed = stageCounts(Object.values<ExpectedInfluencer>(byHandle(await listAll(c))));
  expect({ summary: summary.stages, list: listed, csv: await csvStages(apiUrl, c) }).toEqual({
    summary: expected,
    list: expected,
    csv: expected,
  });
  const report = await db.recount(c.campaignId);
  expect({ measured: report.measured, drift: report.drift, miscounted: report.miscounted }).toEqual({
    measured: true,
    drift: {},
    miscounted: 0,
  });
}

/**
 * The brand's view (list, CSV and summary through the API) and the timeline (the events collection) are
 * exactly what the model of the workload says, and the stage counters need no repair.
 */
export async function expectModel(c: Campaign, w: Workload, db: Db, apiUrl: string): Promise<void> {
  const expected = expectedByHandle(w);
  expect(byHandle(await listAll(c))).toEqual(expected);
  await expectCountersExact(apiUrl, c, stageCounts(Object.values(expected)), db);
  const summary = (await c.summary()).body;
  expect(summary.estimatedPurchases).toBe(Object.values(expected).filter((e) => e.purchasedAt).length);

  // Every distinct click once, one status entry per status reached at most, one sign-up entry.
  const entries = await db.events(c.campaignId);
  const ids = entries.map((e) => e._id);
  expect(new Set(ids).size).toBe(ids.length);
  const byInfluencer = new Map<string, EventDoc[]>();
  for (const e of entries) byInfluencer.set(e.influencerId, [...(byInfluencer.get(e.influencerId) ?? []), e]);
  for (const [influencerId, want] of w.clickEntries) {
    const mine = byInfluencer.get(influencerId) ?? [];
    const count = (type: string) => mine.filter((e) => e.type === type).length;
    expect({
      purchase_click: count('purchase_click'),
      review_click: count('review_click'),
      bot_click: count('bot_click'),
    }).toEqual(want);
    const status = w.expected.get(influencerId)?.status;
    const changes = mine.filter((e) => e.type === 'status_change').map((e) => (e.data as { to: string }).to);
    expect(new Set(changes).size).toBe(changes.length);
    if (status !== 'signed_up') expect(changes).toContain(status);
    expect(count('signup')).toBe(1);
  }
  // The submission each influencer shows is the one the model picks.
  const docs = await db.influencers(c.campaignId);
  const shown = Object.fromEntries(
    docs.filter((d) => d.submission).map((d) => [d._id, { id: d.submission?.id, accepted: d.submission?.accepted }]),
  );
  expect(shown).toEqual(Object.fromEntries(w.shownSubmission));
}
