import mongoose, { type Connection } from 'mongoose';

/**
 * One connection per process. `bufferCommands: false` makes a database outage fail the current job at once
 * (BullMQ then retries it) instead of hanging for 10 s.
 */
export async function connectMongo(url: string, opts: { serverSelectionTimeoutMS?: number } = {}): Promise<Connection> {
  const conn = mongoose.createConnection(url, {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
    maxPoolSize: 10,
  });
  await conn.asPromise();
  return conn;
}

export async function pingMongo(conn: Connection): Promise<boolean> {
  try {
    const db = conn.db;
    if (!db) return false;
    await db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** E11000 on MongoDB and FerretDB alike (FerretDB omits keyPattern/keyValue, so only the code is relied on). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** True when every write error of a bulk insert is a duplicate key (the documents were there already). */
export function onlyDuplicateKeys(err: unknown): boolean {
  const e = err as { writeErrors?: unknown; code?: unknown };
  const errors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  if (errors.length === 0) return isDuplicateKey(err);
  return errors.every((we) => (we as { code?: unknown }).code === 11000);
}
