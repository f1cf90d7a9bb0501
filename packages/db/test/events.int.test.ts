import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { bulkWriteInChunks, connectMongo, eventRepository } from '../src/index.js';

describe('writes that FerretDB and MongoDB both take', () => {
  const url = mongoUrlFor(uniqueName('compat'));
  let conn: mongoose.Connection;
  beforeAll(async () => {
    conn = await connectMongo(url);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  it('applies 300 upserting updates in small commands (one large command deadlocks FerretDB 1.24)', async () => {
    const coll = conn.collection<{ _id: string; n?: number }>('counters');
    const ops = Array.from({ length: 300 }, (_, i) => ({
      updateOne: { filter: { _id: `c${i % 150}` }, update: { $inc: { n: 1 } }, upsert: true },
    }));
    // Two passes over the same ids: the first inserts, the second updates existing documents.
    await bulkWriteInChunks(coll, ops.slice(0, 150));
    await bulkWriteInChunks(coll, ops.slice(150));
    const docs = await coll.find({}).toArray();
    expect(docs).toHaveLength(150);
    expect(docs.every((d) => d.n === 2)).toBe(true);
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
