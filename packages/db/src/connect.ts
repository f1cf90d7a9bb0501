import mongoose, { type Connection } from 'mongoose';

/**
 * One connection per process (the worker opens a second, small one for brand webhooks: see its main).
 * `bufferCommands: false` makes a database outage fail the current job at once (BullMQ then retries it)
 * instead of hanging for 10 s.
 */
export async function connectMongo(
  url: string,
  opts: { serverSelectionTimeoutMS?: number; maxPoolSize?: number } = {},
): Promise<Connection> {
  const conn = mongoose.createConnection(url, {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
    maxPoolSize: opts.maxPoolSize ?? 10,
  });
  await conn.asPromise();
  return conn;
}

/**
 * connectMongo, tried again every second while the database is not reachable yet (a stack started before its
 * database, a failover): each failed try is reported, the last one (after `attempts`, ~3 min) thrown.
 */
export async function connectMongoWithRetry(
  url: string,
  opts: { maxPoolSize?: number; attempts?: number; onRetry: (attempt: number, err: Error) => void },
): Promise<Connection> {
  const attempts = opts.attempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectMongo(url, { maxPoolSize: opts.maxPoolSize });
    } catch (err) {
      if (attempt >= attempts) throw err;
      opts.onRetry(attempt, err as Error);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
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
