import { describe, expect, it } from 'vitest';
import { createRepositories, ensureIndexes, type MessageDraft } from '../src/index.js';
import { ownDatabase } from './support/own-database.js';

const draft = (id: string, counter: string): MessageDraft => ({
  id,
  counter,
  render: (sequence) => JSON.stringify({ id, sequence }),
});
const sequenceOf = (bodies: Map<string, string>, id: string) =>
  (JSON.parse(bodies.get(id) ?? 'null') as { sequence: number }).sequence;

/**
 * Messages are numbered from one counter per brand: numbers increase in the order given and across fan-outs, a
 * message is numbered once, and a brand's counter starts above the numbers of earlier versions' counters.
 */
describe('webhook numbering: one counter per brand', () => {
  const db = ownDatabase('hooknum');

  it('numbers in order across calls, once per message, each brand from its own counter', async () => {
    const repos = createRepositories(db.conn);
    await ensureIndexes(repos);
    const hooks = repos.webhookDeliveries;
    const first = await hooks.recordMessages([draft('m1', 'b-one'), draft('m2', 'b-one'), draft('m3', 'b-two')]);
    expect([sequenceOf(first, 'm1'), sequenceOf(first, 'm2'), sequenceOf(first, 'm3')]).toEqual([1, 2, 1]);
    // m2 again (a repeated fan-out) keeps its number; m4 comes after it.
    const second = await hooks.recordMessages([draft('m2', 'b-one'), draft('m4', 'b-one')]);
    expect([sequenceOf(second, 'm2'), sequenceOf(second, 'm4')]).toEqual([2, 3]);
    // Another process (its own repositories, nothing remembered) goes on from the stored counter.
    const other = createRepositories(db.conn).webhookDeliveries;
    expect(sequenceOf(await other.recordMessages([draft('m5', 'b-one')]), 'm5')).toBe(4);
    const counters = await db.conn.collection('webhook_sequences').find({}).sort({ _id: 1 }).toArray();
    expect(counters.map((c) => [c._id, c.n])).toEqual([
      ['b-one', 4],
      ['b-two', 1],
    ]);
  });

  it("starts a new brand's counter above every number of earlier versions' counters", async () => {
    const repos = createRepositories(db.conn);
    await db.conn.collection<{ _id: string; n: number }>('webhook_sequences').insertMany([
      { _id: 'i-legacy-influencer', n: 41 },
      { _id: 'c-legacy-campaign', n: 7 },
    ]);
    const bodies = await repos.webhookDeliveries.recordMessages([draft('m6', 'b-three'), draft('m7', 'b-three')]);
    expect([sequenceOf(bodies, 'm6'), sequenceOf(bodies, 'm7')]).toEqual([42, 43]);
  });

  it('makes a counter deleted after this process saw it again on the next try, above every stored number', async () => {
    const hooks = createRepositories(db.conn).webhookDeliveries;
    await hooks.recordMessages([draft('m8', 'b-four')]);
    await db.conn.collection<{ _id: string }>('webhook_sequences').deleteOne({ _id: 'b-four' });
    await expect(hooks.recordMessages([draft('m9', 'b-four')])).rejects.toThrow('vanished');
    const again = await hooks.recordMessages([draft('m9', 'b-four')]);
    expect(sequenceOf(again, 'm9')).toBe(44);
  });
});
