import { beforeAll, describe, expect, it } from 'vitest';
import { reminderModel, reminderRepository } from '../src/index.js';
import { planOf } from './support/explain-plan.js';
import { ownDatabase } from './support/own-database.js';

/**
 * The sweep's index holds pending reminders only (partial on `state`), so a reminder that is sent, cancelled or
 * failed leaves it without a new entry (every index entry costs the database a WAL record, issue 24); a database
 * made with the former `{state, dueAt}` index loses it at start.
 */
describe('reminders: the sweep reads a partial index of pending reminders (explain)', () => {
  const db = ownDatabase('remidx');
  const now = new Date(Date.UTC(2026, 0, 2));
  const docs: (Record<string, unknown> & { _id: string; state: string; dueAt: Date })[] = [];
  beforeAll(async () => {
    const Reminder = reminderModel(db.conn);
    await Reminder.createCollection();
    await Reminder.collection.createIndex({ state: 1, dueAt: 1 });
    await reminderRepository(db.conn).ensureIndexes();
    for (let i = 0; i < 2000; i++)
      docs.push({
        _id: `r${i}`,
        campaignId: 'c',
        influencerId: `i${i % 400}`,
        stage: 'purchase',
        attempt: 1 + (i % 5),
        dueAt: new Date(Date.UTC(2026, 0, 1, 0, i % 60) + (i % 7) * 86_400_000),
        state: i % 10 === 0 ? 'pending' : 'sent',
        outcome: null,
        sentAt: null,
        failedDeliveries: 0,
        lastError: null,
        createdAt: now,
      });
    await Reminder.collection.insertMany(docs as never[]);
  });

  it('keeps the partial sweep index and {influencerId, state}, and drops the former {state, dueAt}', async () => {
    const indexes = await reminderModel(db.conn).collection.indexes();
    expect(indexes.map((ix) => ix.name).sort()).toEqual(['_id_', 'dueAt_1', 'influencerId_1_state_1']);
    expect(indexes.find((ix) => ix.name === 'dueAt_1')?.partialFilterExpression).toEqual({ state: 'pending' });
  });

  it('the due sweep is an index scan of pending reminders, in due order', async () => {
    const explain = await reminderModel(db.conn)
      .find({ state: 'pending', dueAt: { $lte: now } })
      .sort({ dueAt: 1 })
      .limit(50)
      .explain('executionStats');
    const plan = planOf(explain);
    expect(plan.indexes).toEqual(['dueAt_1']);
    expect(plan.collScan).toBe(false);
    const due = await reminderRepository(db.conn).due(now, 500);
    const expected = docs.filter((r) => r.state === 'pending' && r.dueAt <= now).map((r) => r._id);
    expect(expected.length).toBeGreaterThan(10);
    expect(due.map((r) => r._id).sort()).toEqual(expected.sort());
    expect(due.every((r) => r.state === 'pending' && r.dueAt <= now)).toBe(true);
    const times = due.map((r) => r.dueAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("an influencer's reminders sent (the lists' count) are counted from {influencerId, state}", async () => {
    const ids = ['i3', 'i7', 'i10'];
    const explain = await reminderModel(db.conn)
      .aggregate([
        { $match: { influencerId: { $in: ids }, state: 'sent' } },
        { $group: { _id: '$influencerId', n: { $sum: 1 } } },
      ])
      .explain('executionStats');
    const plan = planOf(explain);
    expect(plan.indexes).toEqual(['influencerId_1_state_1']);
    expect(plan.collScan).toBe(false);
    const sent = (i: string) => docs.filter((r) => r.influencerId === i && r.state === 'sent').length;
    // i10's reminders are all pending: absent, not 0.
    expect(sent('i10')).toBe(0);
    const expected = new Map(ids.filter((i) => sent(i) > 0).map((i) => [i, sent(i)]));
    expect(await reminderRepository(db.conn).sentCounts(ids)).toEqual(expected);
  });
});
