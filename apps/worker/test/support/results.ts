import { connectMongo, type EventDoc, type InfluencerDoc } from '@seedline/db';
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

/** Direct reads of the stack's database, for what the API does not show (every timeline entry). */
export class Db {
  private constructor(readonly conn: Connection) {}

  static async open(url: string): Promise<Db> {
    return new Db(await connectMongo(url));
  }

  async events(campaignId: string): Promise<EventDoc[]> {
    return this.conn.collection<EventDoc>('events').find({ campaignId }).toArray() as Promise<EventDoc[]>;
  }

  async eventCount(campaignId: string): Promise<number> {
    return this.conn.collection('events').countDocuments({ campaignId });
  }

  async influencers(campaignId: string): Promise<InfluencerDoc[]> {
    return this.conn.collection<InfluencerDoc>('influencers').find({ campaignId }).toArray() as Promise<InfluencerDoc[]>;
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
