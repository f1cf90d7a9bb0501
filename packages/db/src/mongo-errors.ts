// How MongoDB and FerretDB report the errors the repositories expect and step over, in one place.

/** E11000 on MongoDB and FerretDB alike (FerretDB omits keyPattern/keyValue, so only the code is relied on). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

interface WriteErrorLike {
  index?: unknown;
  code?: unknown;
}

/**
 * The documents of an unordered bulk insert that were refused only because they are stored already (duplicate
 * key), by index; null when the insert failed in any other way, and then nothing may be assumed stored. A
 * command-level failure (the database restarting: FerretDB answers InternalError) reaches the driver as a bulk
 * error with *no* write errors, so an empty list is a failure, never "all inserted"; and the write errors plus
 * the documents inserted must account for every document sent.
 */
export function duplicateIndexes(err: unknown, sent: number): Set<number> | null {
  const { list, inserted, writeConcernError } = bulkErrorOf(err);
  if (list.length === 0 || writeConcernError) return null;
  if (!list.every((we) => we.code === 11000 && typeof we.index === 'number')) return null;
  if (typeof inserted !== 'number' || inserted + list.length !== sent) return null;
  return new Set(list.map((we) => we.index as number));
}

/**
 * An unordered insert of documents some of which may be stored already (their `_id` says so): those are refused
 * and kept as stored. Returns the indexes of `docs` that were stored already; any other failure is thrown.
 */
export async function insertNew<T>(
  col: { insertMany(docs: T[], opts: { ordered: boolean }): Promise<unknown> },
  docs: T[],
): Promise<Set<number>> {
  try {
    await col.insertMany(docs, { ordered: false });
    return new Set();
  } catch (err) {
    const stored = duplicateIndexes(err, docs.length);
    if (!stored) throw err;
    return stored;
  }
}

/**
 * Where an ordered insert stopped on a document stored already: its index, every document ahead of it being
 * stored (the insert's count says so); null when it failed in any other way.
 */
export function orderedDuplicateAt(err: unknown): number | null {
  const { list, inserted } = bulkErrorOf(err);
  const first = list[0];
  return list.length === 1 && first?.code === 11000 && typeof first.index === 'number' && first.index === inserted
    ? first.index
    : null;
}

/** A bulk write's errors, one or many as the driver reports them, and how many documents it inserted. */
function bulkErrorOf(err: unknown): { list: WriteErrorLike[]; inserted: unknown; writeConcernError: unknown } {
  const e = err as { writeErrors?: unknown; writeConcernError?: unknown; result?: { insertedCount?: unknown } };
  const list = (
    Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : []
  ) as WriteErrorLike[];
  return { list, inserted: e.result?.insertedCount, writeConcernError: e.writeConcernError };
}

/** createCollection on a collection that exists (NamespaceExists, code 48): the state we wanted. */
export function ignoreExists(err: unknown): void {
  if ((err as { codeName?: string }).codeName === 'NamespaceExists' || (err as { code?: number }).code === 48) return;
  throw err;
}

/** A drop of a collection that is gone (NamespaceNotFound): another process dropped it first. */
export function ignoreMissing(err: unknown): void {
  if ((err as { codeName?: string }).codeName !== 'NamespaceNotFound') throw err;
}

/** The driver's names for "no server to talk to" (refused, reset, timed out, pool cleared, not connected). */
const UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
]);
/** FerretDB answers InternalError when PostgreSQL behind it is down, starting or recovering from a crash. */
const BACKEND_DOWN =
  /failed to connect to|connection refused|terminating connection|server closed the connection|conn closed|the database system is (?:starting up|shutting down|in recovery mode)/i;

/**
 * True when a failure says the database cannot be reached now (as opposed to a write it refused): the job is
 * then parked until the database is back instead of spending its attempts. Looks through `cause` chains.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const { name, code, codeName, message } = e as {
      name?: unknown;
      code?: unknown;
      codeName?: unknown;
      message?: unknown;
    };
    if (typeof name === 'string' && UNREACHABLE.has(name)) return true;
    const internal = code === 1 || codeName === 'InternalError';
    if (internal && typeof message === 'string' && BACKEND_DOWN.test(message.slice(0, 4000))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * PostgreSQL broke a lock cycle by failing this command ("deadlock detected", passed on by FerretDB as is): the
 * other side went ahead, so the same command run again succeeds. Seen when two processes create collections and
 * indexes at the same moment (the api and the worker starting together) on DocumentDB's shared catalogue.
 */
export function isDeadlock(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.slice(0, 200).includes('deadlock detected');
}
