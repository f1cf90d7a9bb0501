import type { Connection } from 'mongoose';
import { STATUSES, type Status } from '@seedline/domain';
import type { StageCounters } from '../counters/stage-counters.js';
import { influencerModel, type InfluencerDoc } from './influencer.schema.js';

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
  function filterOf(f: ListFilter): Record<string, unknown> {
    const filter: Record<string, unknown> = { campaignId: f.campaignId, listed: true };
    if (f.status) filter.status = f.status;
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

  return {
    /** The filter of a list (exposed so that tests can explain it). */
    filterOf,
    async page(f: ListFilter, limit: number): Promise<{ items: InfluencerDoc[]; hasMore: boolean }> {
      const docs = await Influencer.find(filterOf(f))
        .sort({ instagramHandle: 1 })
        .limit(limit + 1)
        .lean<InfluencerDoc[]>()
        .exec();
      return { items: docs.slice(0, limit), hasMore: docs.length > limit };
    },
    /** Streams every matching influencer in list order without holding them in memory. */
    cursor(f: ListFilter): AsyncIterable<InfluencerDoc> {
      return Influencer.find(filterOf(f))
        .sort({ instagramHandle: 1 })
        .lean<InfluencerDoc[]>()
        .cursor({ batchSize: 500 });
    },
    async findInCampaign(campaignId: string, influencerId: string): Promise<InfluencerDoc | null> {
      return Influencer.findOne({ _id: influencerId, campaignId, listed: true }).lean<InfluencerDoc>().exec();
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
