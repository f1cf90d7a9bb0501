import { describe, expect, it } from 'vitest';
import { eventRepository, type Counter, type EventDoc } from '../src/index.js';
import { ownDatabase } from './support/own-database.js';

const entry = (id: string, influencerId: string, counter: Counter | null): EventDoc => ({
  _id: id,
  campaignId: 'c',
  influencerId,
  type: counter ? 'purchase_click' : 'submission_accepted',
  at: new Date(),
  detail: 'x',
  source: 'test',
  counter,
  data: null,
});

describe('the events collection', () => {
  const db = ownDatabase('events');

  it('reports duplicates of an unordered insert by index, keeping the new ones', async () => {
    const events = eventRepository(db.conn);
    const doc = (id: string) => entry(id, 'i', 'purchaseClicks');
    expect((await events.insertNew([doc('a'), doc('b')])).inserted).toEqual(new Set(['a', 'b']));
    const outcome = await events.insertNew([doc('b'), doc('c'), doc('a'), doc('d')]);
    expect(outcome.inserted).toEqual(new Set(['c', 'd']));
    expect(outcome.duplicates).toEqual(new Set(['a', 'b']));
    expect([...(await events.countMany(['i'], ['purchaseClicks'])).values()]).toEqual([4]);
  });

  it('an ordered insert stops at the first id seen before and says how many it stored ahead of it', async () => {
    const events = eventRepository(db.conn);
    const doc = (id: string) => entry(id, 'o', null);
    expect(await events.insertInOrder([doc('o1'), doc('o2')])).toBe(2);
    // The first is there already: nothing after it is stored.
    expect(await events.insertInOrder([doc('o1'), doc('o3')])).toBe(0);
    expect(await events.findById('o3')).toBeNull();
    // The second is there already: the first is stored, the one after the duplicate is not.
    expect(await events.insertInOrder([doc('o4'), doc('o2'), doc('o5')])).toBe(1);
    expect(await events.findById('o4')).not.toBeNull();
    expect(await events.findById('o5')).toBeNull();
  });
});
