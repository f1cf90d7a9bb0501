import type { mongo } from 'mongoose';

type Document = mongo.Document;
type Collection<T extends Document> = mongo.Collection<T>;
type AnyBulkWriteOperation<T extends Document> = mongo.AnyBulkWriteOperation<T>;

/**
 * FerretDB 1.24 holds one PostgreSQL connection per statement of a write command until the whole command
 * ends; a command with more statements than its pool has connections deadlocks the server for good (seen
 * here with 21 updates against a pool of 20). Writes therefore go out in small commands, sent side by side:
 * the driver's pool (maxPoolSize) bounds how many are in flight, so the connections FerretDB needs stay
 * bounded too. On MongoDB this costs a few more round trips and nothing else.
 */
export const MAX_STATEMENTS_PER_COMMAND = 4;

export async function bulkWriteInChunks<T extends Document>(
  collection: Collection<T>,
  ops: AnyBulkWriteOperation<T>[],
  opts: { ordered?: boolean } = {},
): Promise<void> {
  const chunks: AnyBulkWriteOperation<T>[][] = [];
  for (let i = 0; i < ops.length; i += MAX_STATEMENTS_PER_COMMAND) chunks.push(ops.slice(i, i + MAX_STATEMENTS_PER_COMMAND));
  if (opts.ordered) {
    for (const chunk of chunks) await collection.bulkWrite(chunk, { ordered: true });
    return;
  }
  await Promise.all(chunks.map((chunk) => collection.bulkWrite(chunk, { ordered: false })));
}
