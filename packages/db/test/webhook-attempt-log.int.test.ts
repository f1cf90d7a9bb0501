import { describe, expect, it } from 'vitest';
import { createRepositories, ensureIndexes, newDelivery, type AttemptRecord } from '../src/index.js';
import { ownDatabase } from './support/own-database.js';

const t0 = new Date(Date.UTC(2026, 11, 3, 12));
const attempt = (status: number | null, error: string | null = null) => ({
  at: t0,
  status,
  durationMs: 3,
  response: status === null ? '' : `HTTP ${status}`,
  error,
});
const next = (status: 'pending' | 'succeeded' | 'failed', at: Date | null = null) => ({ status, nextAttemptAt: at });

/**
 * Attempts are logged apart from their deliveries (one insert each, never an update of the delivery): a step is
 * recorded once, the delivery as read carries every round's attempts and its current round's state, and an
 * attempt's read decides whether its step is due. A delivery of an earlier version keeps the attempts it holds.
 */
describe('webhook attempts: logged apart from their deliveries', () => {
  const db = ownDatabase('hookatt');

  it('records a step once, completes deliveries with their attempts, and restarts a finished one once', async () => {
    const repos = createRepositories(db.conn);
    await ensureIndexes(repos);
    const hooks = repos.webhookDeliveries;
    const base = { endpointId: 'ep1', brandId: 'b1', type: 'ping', body: '{}' };
    await hooks.recordDeliveries([
      newDelivery({ ...base, _id: 'ep1-msg_a', messageId: 'msg_a' }, t0),
      // An earlier version's delivery: two attempts recorded in it, pending at step 2.
      {
        ...newDelivery({ ...base, _id: 'ep1-msg_b', messageId: 'msg_b' }, t0),
        attempts: [attempt(500), attempt(500)],
        scheduled: 2,
      },
    ]);
    // A repeated fan-out: the stored delivery is kept as it was, the new one recorded, both ids returned.
    const again = await hooks.recordDeliveries([
      { ...newDelivery({ ...base, _id: 'ep1-msg_b', messageId: 'msg_b' }, t0), body: '{"again":true}' },
      newDelivery({ ...base, _id: 'ep1-msg_c', messageId: 'msg_c' }, t0),
    ]);
    expect(again).toEqual(['ep1-msg_b', 'ep1-msg_c']);
    expect(await hooks.findById('ep1-msg_b')).toMatchObject({ body: '{}', scheduled: 2 });
    expect(await hooks.findById('ep1-msg_c')).toMatchObject({ body: '{}', status: 'pending' });
    const first: AttemptRecord = {
      id: 'ep1-msg_a',
      round: 0,
      from: 0,
      attempt: attempt(500),
      next: next('pending', t0),
    };
    expect(await hooks.recordAttempt(first.id, 0, 0, first.attempt, first.next)).toBe(true);
    // A duplicate job's record of the same step is refused; the first stays.
    expect(await hooks.recordAttempt(first.id, 0, 0, attempt(200), next('succeeded'))).toBe(false);
    const due = await hooks.forAttempts([
      { deliveryId: 'ep1-msg_a', round: 0, step: 1 },
      { deliveryId: 'ep1-msg_b', round: 0, step: 2 },
    ]);
    expect(due.get('ep1-msg_a')).toMatchObject({ status: 'pending', round: 0, scheduled: 1 });
    expect(due.get('ep1-msg_b')).toMatchObject({ status: 'pending', round: 0, scheduled: 2 });
    await hooks.recordAttempts([
      { id: 'ep1-msg_a', round: 0, from: 1, attempt: attempt(200), next: next('succeeded') },
      { id: 'ep1-msg_b', round: 0, from: 2, attempt: attempt(null, 'timeout'), next: next('failed') },
    ]);
    // Restarting a pending delivery does nothing; a finished one starts round 1, once.
    expect(await hooks.restart('ep1-msg_a')).toBe(1);
    expect(await hooks.restart('ep1-msg_a')).toBeNull();
    const a = await hooks.find('b1', 'ep1', 'ep1-msg_a');
    expect(a).toMatchObject({ status: 'pending', round: 1, scheduled: 0 });
    expect(a?.attempts.map((x) => x.status)).toEqual([500, 200]);
    await hooks.close({ _id: 'ep1-msg_a', round: 1, scheduled: 0 }, 'endpoint deleted');
    const closed = await hooks.findById('ep1-msg_a');
    expect(closed).toMatchObject({ status: 'failed', round: 1, scheduled: 1, nextAttemptAt: null });
    expect(closed?.attempts.map((x) => x.error)).toEqual([null, null, 'endpoint deleted']);
    const b = await hooks.findById('ep1-msg_b');
    expect(b).toMatchObject({ status: 'failed', scheduled: 3 });
    expect(b?.attempts.map((x) => x.status)).toEqual([500, 500, null]);
    const page = await hooks.page('b1', 'ep1', { status: 'failed', limit: 5 });
    expect(page.map((d) => [d._id, d.attempts.length]).sort()).toEqual([
      ['ep1-msg_a', 3],
      ['ep1-msg_b', 3],
    ]);
    expect(await db.conn.collection('webhook_deliveries').countDocuments({ status: 'pending', round: 0 })).toBe(2);
  });
});
