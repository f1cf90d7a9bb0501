import { Types, type Connection } from 'mongoose';
import { DEFAULT_REMINDERS, type CampaignCreateRequest, type CampaignUpdateRequest } from '@seedline/domain';
import { ignoreExists } from '../brands/brand.repository.js';
import { campaignModel, type CampaignDoc } from './campaign.schema.js';

export function campaignRepository(conn: Connection) {
  const Campaign = campaignModel(conn);
  return {
    async create(brandId: string, input: CampaignCreateRequest): Promise<CampaignDoc> {
      const now = new Date();
      const doc: CampaignDoc = {
        _id: new Types.ObjectId().toHexString(),
        brandId,
        name: input.name,
        productUrl: input.productUrl,
        reviewUrl: input.reviewUrl,
        amazonAttributionUrl: input.amazonAttributionUrl ?? null,
        requirements: { hashtags: input.requirements?.hashtags ?? [], mentions: input.requirements?.mentions ?? [] },
        reminders: {
          purchase: input.reminders?.purchase ?? DEFAULT_REMINDERS.purchase,
          review: input.reminders?.review ?? DEFAULT_REMINDERS.review,
        },
        state: 'active',
        createdAt: now,
        updatedAt: now,
      };
      await Campaign.create(doc);
      return doc;
    },
    async update(brandId: string, id: string, input: CampaignUpdateRequest): Promise<CampaignDoc | null> {
      const current = await this.findForBrand(brandId, id);
      if (!current) return null;
      const set: Partial<CampaignDoc> = { updatedAt: new Date() };
      if (input.name !== undefined) set.name = input.name;
      if (input.productUrl !== undefined) set.productUrl = input.productUrl;
      if (input.reviewUrl !== undefined) set.reviewUrl = input.reviewUrl;
      if (input.amazonAttributionUrl !== undefined) set.amazonAttributionUrl = input.amazonAttributionUrl;
      if (input.state !== undefined) set.state = input.state;
      if (input.requirements !== undefined) {
        set.requirements = {
          hashtags: input.requirements.hashtags ?? current.requirements.hashtags,
          mentions: input.requirements.mentions ?? current.requirements.mentions,
        };
      }
      if (input.reminders !== undefined) {
        set.reminders = {
          purchase: input.reminders.purchase ?? current.reminders.purchase,
          review: input.reminders.review ?? current.reminders.review,
        };
      }
      await Campaign.updateOne({ _id: id, brandId }, { $set: set }).exec();
      return { ...current, ...set };
    },
    async findById(id: string): Promise<CampaignDoc | null> {
      return Campaign.findById(id).lean<CampaignDoc>().exec();
    },
    /** Scoped read: another brand's campaign is indistinguishable from a missing one. */
    async findForBrand(brandId: string, id: string): Promise<CampaignDoc | null> {
      return Campaign.findOne({ _id: id, brandId }).lean<CampaignDoc>().exec();
    },
    async listForBrand(brandId: string): Promise<CampaignDoc[]> {
      return Campaign.find({ brandId }).sort({ createdAt: 1, _id: 1 }).lean<CampaignDoc[]>().exec();
    },
    async ensureIndexes(): Promise<void> {
      await Campaign.createCollection().catch(ignoreExists);
      await Campaign.syncIndexes();
    },
  };
}
export type CampaignRepository = ReturnType<typeof campaignRepository>;
