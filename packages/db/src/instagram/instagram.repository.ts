import type { Connection } from 'mongoose';
import { insertNew, ignoreExists, isDuplicateKey } from '../mongo-errors.js';
import {
  instagramModels,
  type CheckState,
  type InstagramAccountDoc,
  type InstagramCheckDoc,
  type InstagramMentionDoc,
} from './instagram.schema.js';

/**
 * Instagram accounts, checks and mentions. Every change of a check is a compare-and-set on its state (and try
 * count), so two deliveries of the same look-up, or a sweep racing a job, decide a check once.
 */
export function instagramRepository(conn: Connection) {
  const { Account, Check, Mention } = instagramModels(conn);
  const repo = {
    async account(brandId: string): Promise<InstagramAccountDoc | null> {
      return Account.findById(brandId).lean<InstagramAccountDoc>().exec();
    },
    async accountsByIgUser(igUserId: string): Promise<InstagramAccountDoc[]> {
      return Account.find({ igUserId }).limit(50).lean<InstagramAccountDoc[]>().exec();
    },
    async allAccounts(): Promise<InstagramAccountDoc[]> {
      return Account.find({}).limit(10_000).lean<InstagramAccountDoc[]>().exec();
    },
    /** One brand connects at a time (its own request): insert, or replace what it connected before. */
    async connect(doc: Omit<InstagramAccountDoc, 'tokenRev'>): Promise<void> {
      try {
        await Account.collection.insertOne({ ...doc, tokenRev: 1 } as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await Account.collection.updateOne({ _id: doc._id as never }, { $set: doc, $inc: { tokenRev: 1 } });
      }
    },
    async disconnect(brandId: string): Promise<boolean> {
      return (await Account.collection.deleteOne({ _id: brandId as never })).deletedCount === 1;
    },
    /** A renewed token lands only if the token it renewed is still the stored one. */
    async renewed(brandId: string, rev: number, tokenSealed: string, tokenExpiresAt: Date | null): Promise<boolean> {
      const res = await Account.collection.updateOne(
        { _id: brandId as never, tokenRev: rev },
        { $set: { tokenSealed, tokenExpiresAt, renewedAt: new Date(), renewError: null }, $inc: { tokenRev: 1 } },
      );
      return res.modifiedCount === 1;
    },
    async renewFailed(brandId: string, reason: string): Promise<void> {
      await Account.collection.updateOne({ _id: brandId as never }, { $set: { renewError: reason.slice(0, 300) } });
    },

    /** Creates the check; one that exists already (a redelivered submission) is left as it is. */
    async addCheck(doc: InstagramCheckDoc): Promise<boolean> {
      try {
        await Check.collection.insertOne(doc as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async check(id: string): Promise<InstagramCheckDoc | null> {
      return Check.findById(id).lean<InstagramCheckDoc>().exec();
    },
    /** Checks whose next look-up is due: pending verifications and accepted posts still re-checked. */
    async dueChecks(now: Date, limit: number): Promise<InstagramCheckDoc[]> {
      return Check.find({ state: { $in: ['pending', 'verified'] }, nextAt: { $ne: null, $lte: now } })
        .limit(limit)
        .lean<InstagramCheckDoc[]>()
        .exec();
    },
    /** Moves the check on if it is still in `from` after `tries` look-ups; false when someone else did. */
    async moveCheck(
      id: string,
      from: { state: CheckState; tries: number },
      set: Partial<InstagramCheckDoc>,
      countTry = true,
    ): Promise<boolean> {
      const update: Record<string, unknown> = { $set: set };
      if (countTry) update.$inc = { tries: 1 };
      const res = await Check.collection.updateOne({ _id: id as never, state: from.state, tries: from.tries }, update);
      return res.modifiedCount === 1;
    },
    async pendingFor(influencerId: string): Promise<number> {
      return Check.collection.countDocuments({ influencerId, state: 'pending' });
    },
    async removedCount(campaignId: string): Promise<number> {
      return Check.collection.countDocuments({ campaignId, state: 'removed' });
    },

    /** Stores notifications on receipt; a notification Meta sends again is stored once. */
    async storeMentions(docs: InstagramMentionDoc[]): Promise<void> {
      if (docs.length === 0) return;
      await insertNew(Mention.collection, docs as never[]);
    },
    async mention(id: string): Promise<InstagramMentionDoc | null> {
      return Mention.findById(id).lean<InstagramMentionDoc>().exec();
    },
    async mentionRead(id: string, set: Pick<InstagramMentionDoc, 'state' | 'shortcode' | 'media'>): Promise<void> {
      await Mention.collection.updateOne({ _id: id as never }, { $set: set });
    },
    async mentionByShortcode(igUserId: string, shortcode: string): Promise<InstagramMentionDoc | null> {
      return Mention.findOne({ igUserId, shortcode }).lean<InstagramMentionDoc>().exec();
    },
    /** Notifications stored but not read yet (the sweep re-queues them: none is lost with its job). */
    async unreadMentions(before: Date, limit: number): Promise<InstagramMentionDoc[]> {
      return Mention.find({ state: 'received', receivedAt: { $lte: before } })
        .limit(limit)
        .lean<InstagramMentionDoc[]>()
        .exec();
    },

    async ensureIndexes(): Promise<void> {
      for (const m of [Account, Check, Mention]) {
        await m.createCollection().catch(ignoreExists);
        await m.syncIndexes();
      }
    },
  };
  return repo;
}
export type InstagramRepository = ReturnType<typeof instagramRepository>;
