import { Types, type Connection } from 'mongoose';
import { STATUSES } from '@seedline/domain';
import { ignoreExists } from '../mongo-errors.js';
import { influencerModel } from '../influencers/influencer.schema.js';
import { attributionTagModel, attributionTagSetModel, type AttributionTagDoc } from './attribution-tag.schema.js';

/** A campaign's tag URLs by influencer id, with the version they were read at. */
export interface TagUrls {
  version: string;
  urls: ReadonlyMap<string, string>;
}

export type NewAttributionTag = Omit<AttributionTagDoc, 'campaignId' | 'updatedAt'>;

export function attributionTagRepository(conn: Connection) {
  const Tag = attributionTagModel(conn);
  const TagSet = attributionTagSetModel(conn);
  const Influencer = influencerModel(conn);
  return {
    /** Which of these handles belong to influencers signed up to the campaign. */
    async listedHandles(campaignId: string, handles: readonly string[]): Promise<Set<string>> {
      const docs = await Influencer.find(
        { campaignId, listed: true, status: { $in: [...STATUSES] }, instagramHandle: { $in: handles } },
        { instagramHandle: 1 },
      )
        .lean<{ instagramHandle: string }[]>()
        .exec();
      return new Set(docs.map((d) => d.instagramHandle));
    },
    async forCampaign(campaignId: string): Promise<AttributionTagDoc[]> {
      return Tag.find({ campaignId }).lean<AttributionTagDoc[]>().exec();
    },
    async forInfluencers(campaignId: string, influencerIds: readonly string[]): Promise<AttributionTagDoc[]> {
      if (influencerIds.length === 0) return [];
      const _id = influencerIds.length === 1 ? influencerIds[0] : { $in: influencerIds };
      return Tag.find({ campaignId, _id }).lean<AttributionTagDoc[]>().exec();
    },
    /** Stores (or replaces) each influencer's tag, then gives the campaign's tag set a new version. */
    async store(campaignId: string, tags: readonly NewAttributionTag[]): Promise<void> {
      const updatedAt = new Date();
      await Tag.collection.bulkWrite(
        tags.map((t) => ({
          replaceOne: { filter: { _id: t._id as never }, replacement: { ...t, campaignId, updatedAt }, upsert: true },
        })),
        { ordered: false },
      );
      const count = await Tag.collection.countDocuments({ campaignId });
      await TagSet.collection.updateOne(
        { _id: campaignId as never },
        { $set: { version: new Types.ObjectId().toHexString(), count } },
        { upsert: true },
      );
    },
    /**
     * The campaign's tag URLs for a cache: `undefined` when it has no tags, `previous` itself when nothing changed
     * since it was read (one lookup by id), else every tag of the campaign (one equality query).
     */
    urlsFor: async (campaignId: string, previous?: TagUrls): Promise<TagUrls | undefined> => {
      const set = await TagSet.findById(campaignId).lean<{ version: string }>().exec();
      if (!set) return undefined;
      if (previous?.version === set.version) return previous;
      const docs = await Tag.find({ campaignId }, { url: 1 }).lean<{ _id: string; url: string }[]>().exec();
      return { version: set.version, urls: new Map(docs.map((d) => [d._id, d.url])) };
    },
    async ensureIndexes(): Promise<void> {
      await Promise.all([Tag.createCollection().catch(ignoreExists), TagSet.createCollection().catch(ignoreExists)]);
      await Promise.all([Tag.syncIndexes(), TagSet.syncIndexes()]);
    },
  };
}
export type AttributionTagRepository = ReturnType<typeof attributionTagRepository>;
