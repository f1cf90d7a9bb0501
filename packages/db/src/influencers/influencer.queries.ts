import type { Connection } from 'mongoose';
import { BoundedCache, STATUSES, type Status } from '@seedline/domain';
import type { StageCounters } from '../counters/stage-counters.js';
import { reminderRepository } from '../reminders/reminder.repository.js';
import { clickCounts } from './click-counts.js';
import { influencerModel, type InfluencerDoc } from './influencer.schema.js';

const CURSOR_BATCH = 500;

export interface ListFilter {
  campaignId: string;
  status?: Status | undefined;
  /** handle prefix */
  q?: string | undefined;
  /** the last handle of the previous page */
  after?: string | undefined;
}

export interface StageCounts {
  total: number;
  stages: Record<Status, number>;
  estimatedPurchases: number;
}

/**
 * Read side of influencers, for the API. Lists are ordered by handle, which is unique within a campaign, so
 * the order is stable and the cursor is simply the last handle seen. The list, the CSV and the summary share
 * one filter (`listed: true`) so their counts always agree.
 */
export function influencerQueries(conn: Connection, counters: StageCounters) {
  const Influencer = influencerModel(conn);
  const clicks = clickCounts(conn);
  const reminders = reminderRepository(conn);
  /**
   * The documents with their counts: clicks from the counts documents (the larger of theirs and the document's,
   * click-counts.ts), reminders sent from the reminders (the larger of that and the document's, for documents
   * counted before: reminder.repository.ts). Two reads for a page, whatever its size.
   */
  async function withCounts(docs: InfluencerDoc[]): Promise<InfluencerDoc[]> {
    if (docs.length === 0) return docs;
    const [counted, sent] = await Promise.all([clicks.attach(docs), reminders.sentCounts(docs.map((d) => d._id))]);
    return counted.map((d) => ({ ...d, remindersSent: Math.max(d.remindersSent ?? 0, sent.get(d._id) ?? 0) }));
  }
  function filterOf(f: ListFilter): Record<string, unknown> {
    const filter: Record<string, unknown> = { campaignId: f.campaignId, listed: true };
    filter.status = f.status ?? { $in: [...STATUSES] };
    const range: Record<string, string> = {};
    if (f.q) {
      range.$gte = f.q;
      range.$lt = `${f.q}\u{10FFFF}`;
    }
    if (f.after !== undefined && (!range.$gte || f.after >= range.$gte)) range.$gt = f.after;
    if (range.$gt) delete range.$gte;
    if (Object.keys(range).length) filter.instagramHandle = range;
    return filter;
  }

  /** A page's rows in list order, `limit + 1` at most, up to `upTo` (a handle, inclusive) when given. */
  function read(f: ListFilter, limit: number, upTo?: string): Promise<InfluencerDoc[]> {
    const filter = filterOf(f);
    if (upTo !== undefined) filter.instagramHandle = { ...(filter.instagramHandle as object), $lte: upTo };
    return Influencer.find(filter)
      .sort({ instagramHandle: 1 })
      .limit(limit + 1)
      .lean<InfluencerDoc[]>()
      .exec();
  }
  /** per page (campaign, filter, cursor, size): the handle of the row that followed it when last read */
  const bounds = new BoundedCache<string, string>(10_000);

  return {
    /** The filter of a list (exposed so that tests can explain it). */
    filterOf,
    /**
     * One page and whether more follow. DocumentDB finds a list's rows by its index but sorts them after (it has
     * no ordered index scans), so an open range (page 1 of a 100k campaign) reads and sorts the whole campaign.
     * A page therefore remembers the handle of the row that followed it last time and first reads up to it: if
     * that still finds `limit + 1` rows, they are the first of the whole order (every row past the bound sorts
     * after them); if not (rows left a status filter), the page is read without the bound.
     */
    async page(f: ListFilter, limit: number): Promise<{ items: InfluencerDoc[]; hasMore: boolean }> {
      const key = JSON.stringify([f.campaignId, f.status ?? '', f.q ?? '', f.after ?? '', limit]);
      const bound = bounds.get(key);
      let docs = bound === undefined ? null : await read(f, limit, bound);
      if (!docs || docs.length <= limit) docs = await read(f, limit);
      // A bound on the handle would leave out rows without one (sign-ups always set it; never bound those).
      const next = docs[limit]?.instagramHandle;
      if (next && docs.every((d) => typeof d.instagramHandle === 'string')) bounds.set(key, next);
      else bounds.delete(key);
      return { items: await withCounts(docs.slice(0, limit)), hasMore: docs.length > limit };
    },
    /** Streams every matching influencer in list order without holding them in memory (counts attached per 500). */
    async *cursor(f: ListFilter): AsyncIterable<InfluencerDoc> {
      const rows = Influencer.find(filterOf(f))
        .sort({ instagramHandle: 1 })
        .lean<InfluencerDoc[]>()
        .cursor({ batchSize: CURSOR_BATCH });
      let batch: InfluencerDoc[] = [];
      for await (const doc of rows) {
        batch.push(doc);
        if (batch.length < CURSOR_BATCH) continue;
        yield* await withCounts(batch);
        batch = [];
      }
      yield* await withCounts(batch);
    },
    async findInCampaign(campaignId: string, influencerId: string): Promise<InfluencerDoc | null> {
      const doc = await Influencer.findOne({ _id: influencerId, campaignId, listed: true })
        .lean<InfluencerDoc>()
        .exec();
      return doc && ((await withCounts([doc]))[0] ?? null);
    },
    /** One influencer with its counts, whatever its campaign (tests and tools). */
    async findWithCounts(id: string): Promise<InfluencerDoc | null> {
      const doc = await Influencer.findById(id).lean<InfluencerDoc>().exec();
      return doc && ((await withCounts([doc]))[0] ?? null);
    },
    /**
     * Stage counts from the campaign's counters (maintained with every status move, see StageCounters):
     * a few small documents, whatever the campaign's size. They count the same influencers as the list.
     */
    async stageCounts(campaignId: string): Promise<StageCounts> {
      const { counts } = await counters.read(campaignId);
      const stages = Object.fromEntries(STATUSES.map((s) => [s, counts[s]])) as Record<Status, number>;
      return {
        total: STATUSES.reduce((sum, s) => sum + stages[s], 0),
        stages,
        estimatedPurchases: counts.estimatedPurchases,
      };
    },
    /** Baseline for benchmarks: one plain count of the campaign's influencers. */
    async countAll(campaignId: string): Promise<number> {
      return Influencer.collection.countDocuments({ campaignId, listed: true });
    },
  };
}
export type InfluencerQueries = ReturnType<typeof influencerQueries>;
