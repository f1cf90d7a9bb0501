import type { Connection } from 'mongoose';
import {
  compareAttribution,
  reportRowSlot,
  supersededIds,
  type AttributionSummary,
  type ReportLevel,
  type ReportRow,
  type StoredReportRow,
} from '@seedline/domain';
import { ignoreExists, isDuplicateKey } from '../mongo-errors.js';
import { attributionTotalsModel } from './attribution-totals.schema.js';
import { attributionTagRepository } from './attribution-tag.repository.js';
import { attributionModel, type AttributionDoc } from './attribution.schema.js';

export * from './attribution-tag.schema.js';
export * from './attribution-tag.repository.js';

/** Our own daily campaign rows keep the id they always had, so re-uploading such a day replaces the old document. */
function rowId(campaignId: string, r: ReportRow): string {
  return r.level === 'campaign' && r.key === '' && r.from === r.to
    ? `${campaignId}-${r.from}`
    : `${campaignId}|${reportRowSlot(r)}`;
}

/** Documents written before periods existed lack these: they were daily campaign rows (`date`). */
type StoredDoc = Omit<AttributionDoc, 'level' | 'key' | 'from' | 'to'> &
  Partial<Pick<AttributionDoc, 'level' | 'key' | 'from' | 'to'>>;

function stored(doc: StoredDoc): StoredReportRow {
  const {
    _id,
    campaignId: _campaign,
    date = '',
    uploadedAt,
    level = 'campaign',
    key = '',
    from = date,
    to = date,
    ...figures
  } = doc;
  return { ...figures, level, key, from, to, id: _id, uploadedAt };
}

export interface StoredUpload {
  rows: number;
  replaced: number;
  levels: Record<ReportLevel, number>;
}

export function attributionRepository(conn: Connection) {
  const Attribution = attributionModel(conn);
  const Totals = attributionTotalsModel(conn);
  const tags = attributionTagRepository(conn);
  /** Keeps a campaign's totals summed from rows read at `computedAt`, unless a sum read later is kept. */
  async function keepTotals(
    campaignId: string,
    totals: AttributionSummary | null,
    computedAt: Date,
  ): Promise<AttributionSummary | null> {
    try {
      await Totals.collection.updateOne(
        { _id: campaignId as never, computedAt: { $lte: computedAt } },
        { $set: { totals, computedAt } },
        { upsert: true },
      );
    } catch (err) {
      // The filter missed because a newer sum is kept, and the upsert met its _id: that sum stands.
      if (!isDuplicateKey(err)) throw err;
    }
    return totals;
  }

  return {
    /** each influencer's own tag (its creative) */
    tags,
    /**
     * Stores an upload: each row on its slot (replacing the same period of the same entity), then removes older
     * rows whose period the upload covers again. Reads resolve overlaps by upload time as well, so a failure
     * between the two steps never counts a period twice.
     */
    async storeReport(campaignId: string, rows: ReportRow[]): Promise<StoredUpload> {
      const uploadedAt = new Date();
      const levels: Record<ReportLevel, number> = { campaign: 0, adGroup: 0, creative: 0 };
      for (const r of rows) levels[r.level]++;
      if (rows.length === 0) return { rows: 0, replaced: 0, levels };
      const written = await Attribution.collection.bulkWrite(
        rows.map((row) => ({
          replaceOne: {
            filter: { _id: rowId(campaignId, row) as never },
            replacement: { campaignId, ...row, uploadedAt },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      const readAt = new Date();
      const all = await this.rowsFor(campaignId);
      const before = all.filter((r) => new Date(r.uploadedAt).getTime() !== uploadedAt.getTime());
      const replaced = supersededIds(before, rows);
      if (replaced.length) await Attribution.collection.deleteMany({ _id: { $in: replaced as never[] } });
      // The same read sums the totals: the rows about to be deleted are superseded, which the sum resolves too.
      await keepTotals(campaignId, compareAttribution(all, 0), readAt);
      // Replaced: the rows of the same slot overwritten in place, and the other rows whose period this one covers.
      return { rows: rows.length, replaced: written.matchedCount + replaced.length, levels };
    },
    /**
     * The campaign's totals (the click estimate left at 0: the summary sets today's). Computed on the first read
     * for campaigns whose rows were stored before totals were kept.
     */
    async totalsFor(campaignId: string): Promise<AttributionSummary | null> {
      const doc = await Totals.findById(campaignId).lean().exec();
      return doc ? doc.totals : this.refreshTotals(campaignId);
    },
    /** Sums the rows in force and keeps the result, unless a sum read later is already kept. */
    async refreshTotals(campaignId: string): Promise<AttributionSummary | null> {
      const readAt = new Date();
      return keepTotals(campaignId, compareAttribution(await this.rowsFor(campaignId), 0), readAt);
    },
    async rowsFor(campaignId: string): Promise<StoredReportRow[]> {
      const docs = await Attribution.find({ campaignId }).lean<StoredDoc[]>().exec();
      return docs.map(stored);
    },
    /** Creative-level rows, optionally only those of some creatives (a page of influencers). */
    async creativeRowsFor(campaignId: string, creativeIds?: readonly string[]): Promise<StoredReportRow[]> {
      if (creativeIds && creativeIds.length === 0) return [];
      const filter: Record<string, unknown> = { campaignId, level: 'creative' };
      if (creativeIds) filter.creativeId = creativeIds.length === 1 ? creativeIds[0] : { $in: creativeIds };
      const docs = await Attribution.find(filter).lean<StoredDoc[]>().exec();
      return docs.map(stored);
    },
    async ensureIndexes(): Promise<void> {
      await Attribution.createCollection().catch(ignoreExists);
      await Attribution.syncIndexes();
      await Totals.createCollection().catch(ignoreExists);
      await tags.ensureIndexes();
    },
  };
}
export type AttributionRepository = ReturnType<typeof attributionRepository>;
