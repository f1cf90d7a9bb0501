import type { Connection } from 'mongoose';
import type { ReminderChannelName, ReminderStage } from '@seedline/domain';
import { insertNew, ignoreExists, isDuplicateKey } from '../mongo-errors.js';
import { reminderModel, type ChannelDelivery, type ReminderDoc, type ReminderState } from './reminder.schema.js';

export function reminderId(influencerId: string, stage: ReminderStage, attempt: number): string {
  return `${influencerId}-${stage}-${attempt}`;
}

function deliveryFields(d: Partial<Record<ReminderChannelName, ChannelDelivery>>): Record<string, ChannelDelivery> {
  return Object.fromEntries(Object.entries(d).map(([channel, delivery]) => [`deliveries.${channel}`, delivery]));
}

export function reminderRepository(conn: Connection) {
  const Reminder = reminderModel(conn);
  return {
    /** Schedules a reminder once: the id is deterministic, so a second call changes nothing. */
    async schedule(
      r: Pick<ReminderDoc, 'campaignId' | 'influencerId' | 'stage' | 'attempt' | 'dueAt'>,
    ): Promise<boolean> {
      try {
        await Reminder.collection.insertOne({
          _id: reminderId(r.influencerId, r.stage, r.attempt),
          ...r,
          state: 'pending',
          outcome: null,
          sentAt: null,
          failedDeliveries: 0,
          lastError: null,
          createdAt: new Date(),
        } as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    /**
     * Schedules many reminders once each, in one insert (sorted by id, like every bulk here): an id there
     * already is skipped, anything else fails the whole call, to be retried.
     */
    async scheduleMany(
      list: Pick<ReminderDoc, 'campaignId' | 'influencerId' | 'stage' | 'attempt' | 'dueAt'>[],
    ): Promise<void> {
      if (list.length === 0) return;
      const createdAt = new Date();
      const docs = [
        ...new Map(
          list.map((r) => [
            reminderId(r.influencerId, r.stage, r.attempt),
            { ...r, state: 'pending', outcome: null, sentAt: null, failedDeliveries: 0, lastError: null, createdAt },
          ]),
        ),
      ]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([_id, doc]) => ({ _id, ...doc }));
      await insertNew(Reminder.collection, docs as never[]);
    },
    async findById(id: string): Promise<ReminderDoc | null> {
      return Reminder.findById(id).lean<ReminderDoc>().exec();
    },
    async due(now: Date, limit: number): Promise<ReminderDoc[]> {
      return Reminder.find({ state: 'pending', dueAt: { $lte: now } })
        .sort({ dueAt: 1 })
        .limit(limit)
        .lean<ReminderDoc[]>()
        .exec();
    },
    async postpone(id: string, dueAt: Date): Promise<void> {
      await Reminder.updateOne({ _id: id, state: 'pending' }, { $set: { dueAt } }).exec();
    },
    /**
     * Moves a pending reminder to a final state, with what its channels did in this run (one write: in the
     * database each update re-inserts the reminder into every index); false when it had already left `pending`.
     */
    async finish(
      id: string,
      state: Exclude<ReminderState, 'pending'>,
      outcome: string,
      sentAt: Date | null,
      deliveries: Partial<Record<ReminderChannelName, ChannelDelivery>> = {},
    ): Promise<boolean> {
      const set = { state, outcome, sentAt, ...deliveryFields(deliveries) };
      const res = await Reminder.updateOne({ _id: id, state: 'pending' }, { $set: set }).exec();
      return res.modifiedCount === 1;
    },
    /** Counts a failed delivery attempt (of any job of the reminder); the caller holds the reminder's lock. */
    async recordFailure(id: string, reason: string, at = new Date()): Promise<void> {
      await Reminder.updateOne(
        { _id: id, state: 'pending' },
        { $inc: { failedDeliveries: 1 }, $min: { firstFailedAt: at }, $set: { lastError: reason } },
      ).exec();
    },
    /** What channels made of a pending reminder that stays pending (a retry follows); the caller holds its lock. */
    async recordDeliveries(
      id: string,
      deliveries: Partial<Record<ReminderChannelName, ChannelDelivery>>,
    ): Promise<void> {
      if (Object.keys(deliveries).length === 0) return;
      await Reminder.updateOne({ _id: id, state: 'pending' }, { $set: deliveryFields(deliveries) }).exec();
    },
    /**
     * Reminders sent per influencer, counted where they are recorded (`{influencerId, state}` serves it), so a
     * reminder sent writes no count anywhere (issue 24). Influencers with none are absent.
     */
    async sentCounts(influencerIds: string[]): Promise<Map<string, number>> {
      if (influencerIds.length === 0) return new Map();
      const groups = await Reminder.collection
        .aggregate<{ _id: string; n: number }>([
          { $match: { influencerId: { $in: influencerIds }, state: 'sent' } },
          { $group: { _id: '$influencerId', n: { $sum: 1 } } },
        ])
        .toArray();
      return new Map(groups.map((g) => [g._id, g.n]));
    },
    async listForInfluencer(influencerId: string): Promise<ReminderDoc[]> {
      return Reminder.find({ influencerId }).sort({ dueAt: 1 }).lean<ReminderDoc[]>().exec();
    },
    async ensureIndexes(): Promise<void> {
      await Reminder.createCollection().catch(ignoreExists);
      await Reminder.syncIndexes();
    },
  };
}
export type ReminderRepository = ReturnType<typeof reminderRepository>;
