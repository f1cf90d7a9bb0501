import type { Connection } from 'mongoose';
import type { AttributionRow } from '@seedline/domain';
import { ignoreExists } from '../brands/brand.repository.js';
import { bulkWriteInChunks } from '../compat.js';
import { attributionModel, type AttributionDoc } from './attribution.schema.js';

export function attributionRepository(conn: Connection) {
  const Attribution = attributionModel(conn);
  return {
    async upsertRows(campaignId: string, rows: AttributionRow[]): Promise<number> {
      const uploadedAt = new Date();
      await bulkWriteInChunks(
        Attribution.collection,
        rows.map((row) => ({
          replaceOne: {
            filter: { _id: `${campaignId}-${row.date}` as never },
            replacement: { campaignId, ...row, uploadedAt },
            upsert: true,
          },
        })),
      );
      return rows.length;
    },
    async rowsFor(campaignId: string): Promise<AttributionDoc[]> {
      return Attribution.find({ campaignId }).sort({ date: 1 }).lean<AttributionDoc[]>().exec();
    },
    async ensureIndexes(): Promise<void> {
      await Attribution.createCollection().catch(ignoreExists);
      await Attribution.syncIndexes();
    },
  };
}
export type AttributionRepository = ReturnType<typeof attributionRepository>;
