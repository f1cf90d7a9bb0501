import { Types, type Connection } from 'mongoose';
import {
  DEFAULT_REMINDERS,
  type CampaignCreateRequest,
  type CampaignUpdateRequest,
  type ReminderSettingsRequest,
  type StoredReminderSettings,
} from '@seedline/domain';
import { ignoreExists } from '../mongo-errors.js';
import { budgets } from '../reimbursements/budget.js';
import { campaignModel, type CampaignDoc } from './campaign.schema.js';

export function campaignRepository(conn: Connection) {
  const Campaign = campaignModel(conn);
  const budget = budgets(conn);
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
        reminders: mergeReminders(
          { purchase: DEFAULT_REMINDERS.purchase, review: DEFAULT_REMINDERS.review },
          input.reminders,
        ),
        state: 'active',
        createdAt: now,
        updatedAt: now,
      };
      if (input.reimbursement) {
        doc.reimbursement = input.reimbursement;
        doc.priceHistory = [{ price: input.reimbursement.price, from: now }];
        // The budget document first: a campaign is never visible with terms but without its budget.
        await budget.configure(doc._id, input.reimbursement.currency, input.reimbursement.budget);
      }
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
      if (input.reminders !== undefined) set.reminders = mergeReminders(current.reminders, input.reminders);
      const update: Record<string, unknown> = { $set: set };
      if (input.reimbursement !== undefined) {
        set.reimbursement = input.reimbursement;
        await budget.configure(id, input.reimbursement.currency, input.reimbursement.budget);
        if (current.reimbursement?.price !== input.reimbursement.price) {
          const point = { price: input.reimbursement.price, from: set.updatedAt as Date };
          // Appended, not rewritten: two concurrent price changes both stay in the history.
          update.$push = { priceHistory: point };
        }
      }
      await Campaign.updateOne({ _id: id, brandId }, update).exec();
      const priceHistory = (update.$push as { priceHistory?: unknown } | undefined)?.priceHistory;
      return {
        ...current,
        ...set,
        ...(priceHistory ? { priceHistory: [...(current.priceHistory ?? []), priceHistory as never] } : {}),
      };
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

/**
 * Reminder settings after a change: given policies, channels and Reply-To replace the current ones; templates
 * change part by part (a stage set to null goes back to the defaults). Only what differs from the defaults is
 * stored, so a later change of a default reaches every campaign that did not choose otherwise.
 */
export function mergeReminders(
  current: StoredReminderSettings,
  change: ReminderSettingsRequest | undefined,
): StoredReminderSettings {
  const out: StoredReminderSettings = {
    purchase: change?.purchase ?? current.purchase,
    review: change?.review ?? current.review,
  };
  const channels = change?.channels ?? current.channels;
  if (channels?.length) out.channels = [...channels];
  const replyTo = change?.replyTo === undefined ? current.replyTo : change.replyTo;
  if (replyTo) out.replyTo = replyTo;
  const templates: NonNullable<StoredReminderSettings['templates']> = {};
  for (const stage of ['purchase', 'review'] as const) {
    const given = change?.templates?.[stage];
    const merged = given === null ? {} : { ...(current.templates?.[stage] ?? {}), ...(given ?? {}) };
    if (Object.keys(merged).length) templates[stage] = merged;
  }
  if (Object.keys(templates).length) out.templates = templates;
  return out;
}
