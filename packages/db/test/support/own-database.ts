import type mongoose from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { dropDatabase, mongoUrlFor, uniqueName } from '@seedline/testkit';
import { connectMongo } from '../../src/index.js';

export interface OwnDatabase {
  readonly url: string;
  /** connected before the suite's own beforeAll hooks run (registered first), closed after its afterAll hooks */
  conn: mongoose.Connection;
}

/** A database of the suite's own on the test server, dropped after the suite; read `conn` inside hooks and tests. */
export function ownDatabase(label: string): OwnDatabase {
  const db = { url: mongoUrlFor(uniqueName(label)) } as OwnDatabase;
  beforeAll(async () => {
    db.conn = await connectMongo(db.url);
  });
  afterAll(async () => {
    await db.conn?.close();
    await dropDatabase(db.url);
  });
  return db;
}
