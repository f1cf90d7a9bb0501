import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { connectMongo, createRepositories, ensureIndexes } from '../src/index.js';

/**
 * Webhook deliveries keep one secondary index (each attempt rewrites its delivery, and every index costs WAL on
 * each write): a database made by an earlier version loses the status index when the api and the worker start
 * together, and lists by status still come back newest first.
 */
describe('webhook deliveries: one secondary index', () => {
  const url = mongoUrlFor(uniqueName('hookidx'));
  let conn: mongoose.Connection;
  beforeAll(async () => {
    conn = await connectMongo(url);
  });
  afterAll(async () => {
    await conn?.close();
    await dropDatabase(url);
  });

  it('drops the status index of earlier versions, once, with two processes starting at once', async () => {
    const deliveries = conn.collection('webhook_deliveries');
    await conn.createCollection('webhook_deliveries');
    await deliveries.createIndex({ endpointId: 1, status: 1, createdAt: -1 });
    const repos = createRepositories(conn);
    await Promise.all([ensureIndexes(repos), ensureIndexes(createRepositories(conn))]);
    const names = (await deliveries.indexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'endpointId_1_createdAt_-1']);

    const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, s));
    await deliveries.insertMany(
      ['pending', 'failed', 'succeeded', 'failed', 'failed'].map((status, i) => ({
        _id: `ep1-msg_${i}` as never,
        endpointId: i === 4 ? 'ep2' : 'ep1',
        brandId: 'b1',
        messageId: `msg_${i}`,
        type: 'ping',
        body: '{}',
        status,
        round: 0,
        scheduled: 1,
        attempts: [],
        nextAttemptAt: null,
        createdAt: at(i),
      })),
    );
    const failed = await repos.webhookDeliveries.page('b1', 'ep1', { status: 'failed', limit: 10 });
    expect(failed.map((d) => d._id)).toEqual(['ep1-msg_3', 'ep1-msg_1']);
    const since = await repos.webhookDeliveries.failedSince('ep1', at(2), 10);
    expect(since.map((d) => d._id)).toEqual(['ep1-msg_3']);
  });
});
