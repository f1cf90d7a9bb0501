import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { connectMongo, eventRepository } from '../src/index.js';

describe('the events collection', () => {
  const url = mongoUrlFor(uniqueName('events'));
  let conn: mongoose.Connection;
  beforeAll(async () => {
    conn = await connectMongo(url);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  it('reports duplicates of an unordered insert by index, keeping the new ones', async () => {
    const events = eventRepository(conn);
    const doc = (id: string) => ({
      _id: id,
      campaignId: 'c',
      influencerId: 'i',
      type: 'purchase_click' as const,
      at: new Date(),
      detail: 'x',
      source: 'test',
      counter: 'purchaseClicks' as const,
      data: null,
    });
    expect((await events.insertNew([doc('a'), doc('b')])).inserted).toEqual(new Set(['a', 'b']));
    const outcome = await events.insertNew([doc('b'), doc('c'), doc('a'), doc('d')]);
    expect(outcome.inserted).toEqual(new Set(['c', 'd']));
    expect(outcome.duplicates).toEqual(new Set(['a', 'b']));
    expect(await events.count('i', 'purchaseClicks')).toBe(4);
  });
});
