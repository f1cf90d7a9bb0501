import type { Connection } from 'mongoose';
import { ignoreExists, isDuplicateKey } from '../mongo-errors.js';
import { blockedId, blockedInfluencerModel, type BlockedInfluencerDoc } from './blocked-influencer.schema.js';

/** Handles blocked per brand: the record of truth behind the ingest's Redis set (see BlockedHandles). */
export function blockedInfluencerRepository(conn: Connection) {
  const Blocked = blockedInfluencerModel(conn);
  return {
    /** Blocks a handle for a brand; true when it was not blocked before (a plain insert: no racing upserts). */
    async block(entry: Omit<BlockedInfluencerDoc, '_id'>): Promise<boolean> {
      try {
        await Blocked.collection.insertOne({ _id: blockedId(entry.brandId, entry.instagramHandle), ...entry } as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async isBlocked(brandId: string, handle: string): Promise<boolean> {
      return (await Blocked.exists({ _id: blockedId(brandId, handle) }).exec()) !== null;
    },
    /** Every blocked handle of a brand (what the ingest's set is rebuilt from). */
    async handlesFor(brandId: string): Promise<string[]> {
      const docs = await Blocked.find({ brandId }, { instagramHandle: 1 }).lean<{ instagramHandle: string }[]>().exec();
      return docs.map((d) => d.instagramHandle);
    },
    async ensureIndexes(): Promise<void> {
      await Blocked.createCollection().catch(ignoreExists);
      await Blocked.syncIndexes();
    },
  };
}
export type BlockedInfluencerRepository = ReturnType<typeof blockedInfluencerRepository>;
