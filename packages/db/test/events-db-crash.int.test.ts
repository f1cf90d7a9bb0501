import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, startFerretDb, startPostgres, type OwnFerretDb, type OwnPostgres } from '@seedline/testkit';
import { connectMongo, eventRepository, type EventDoc } from '../src/index.js';

const doc = (id: string): EventDoc => ({
  _id: id,
  campaignId: 'c',
  influencerId: 'i',
  type: 'purchase_click',
  at: new Date(),
  detail: 'x',
  source: 'test',
  counter: 'purchaseClicks',
  data: null,
});

/**
 * The embedded database's worst failure: PostgreSQL crashing under DocumentDB. FerretDB then fails inserts as a
 * whole (InternalError), which the driver reports as a bulk error without write errors; an insert reported as
 * done must be stored, whatever the moment of the crash.
 */
describe('event inserts across a crash of the embedded database', () => {
  let pg: OwnPostgres;
  let ferret: OwnFerretDb;
  let conn: Connection;
  beforeAll(async () => {
    pg = await startPostgres('events-crash');
    ferret = await startFerretDb('events-crash', { postgresUrl: pg.url });
    conn = await connectMongo(`${ferret.base}/events_crash`);
    await eventRepository(conn).ensureIndexes();
  });
  afterAll(async () => {
    await conn?.close();
    await ferret?.stop();
    await pg?.remove();
  });

  it('never reports as inserted what the crash did not store', async () => {
    const events = eventRepository(conn);
    const reported = new Set<string>();
    let failed = 0;
    let n = 0;
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, () => doc(`e${n++}`));
        try {
          for (const id of (await events.insertNew(batch)).inserted) reported.add(id);
        } catch {
          failed++;
        }
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    await pollUntil(() => reported.size >= 100, { what: 'inserts before the crash' });
    await pg.crash();
    await pg.recovered();
    const before = reported.size;
    await pollUntil(() => reported.size >= before + 100, { what: 'inserts after the recovery' });
    stop = true;
    await Promise.all(writers);

    expect(failed).toBeGreaterThan(0);
    const ids = [...reported];
    const stored = await conn.db!.collection('events').countDocuments({ _id: { $in: ids } } as never);
    expect(stored).toBe(ids.length);
  });
});
