import type { Collection } from 'mongoose';
import { insertNew } from '../mongo-errors.js';

/**
 * The deliveries an endpoint's log lists at one moment, written once, beside them, never updated: `_id` is
 * `<endpointId>/<createdAt as ISO 8601>/<first delivery id>`, so the primary key alone orders an endpoint's log;
 * `ids` holds the moment's delivery ids in order (absent when there is one: the key names it, as every entry of
 * earlier versions did). A fan-out's deliveries share their moment: one entry per endpoint and fan-out, not one
 * per delivery (a row less per delivery on DocumentDB).
 */
export interface OrderDoc {
  _id: string;
  ids?: string[];
}

/** A delivery as the log orders it: by its moment, then its id. */
export interface Entry {
  at: string;
  id: string;
}

export type Listed = { _id: string; endpointId: string; createdAt: Date };
type Range = { $gt?: string; $gte?: string; $lt: string };

/** Entries per document at most: a page reads a few of them, never a fan-out's thousand ids. */
const IDS_PER_DOC = 100;
/** ISO 8601 in UTC with milliseconds: every moment's text is this long, so keys order as moments do. */
const AT_LENGTH = '2026-12-03T12:00:00.000Z'.length;

const momentOf = (endpointId: string, at: string) => `${endpointId}/${at}/`;
/** Just past every key of the endpoint's moment `at` ('0' follows '/'). */
const pastMoment = (endpointId: string, at: string) => `${endpointId}/${at}0`;
const atOf = (endpointId: string, key: string) => key.slice(endpointId.length + 1, endpointId.length + 1 + AT_LENGTH);

/** Entries in the log's order: by moment, then id. */
const compare = (a: Entry, b: Entry) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** The entry lies past `from` in the walk's direction. */
export const beyond = (e: Entry, from: Entry, dir: 1 | -1) => compare(e, from) * dir > 0;

export function deliveryOrder(order: Collection<OrderDoc>) {
  const read = (range: Range, dir: 1 | -1, n?: number) => {
    const cursor = order.find({ _id: range } as never).sort({ _id: dir });
    return (n === undefined ? cursor : cursor.limit(n)).toArray();
  };

  return {
    /** Lists deliveries, a document per endpoint and moment (ones already listed are skipped). */
    list: async (docs: readonly Listed[]): Promise<void> => {
      const moments = new Map<string, Set<string>>();
      for (const d of docs) {
        const key = momentOf(d.endpointId, d.createdAt.toISOString());
        moments.set(key, (moments.get(key) ?? new Set()).add(d._id));
      }
      const entries: OrderDoc[] = [];
      for (const [moment, set] of moments) {
        const ids = [...set].sort();
        for (let i = 0; i < ids.length; i += IDS_PER_DOC) {
          const part = ids.slice(i, i + IDS_PER_DOC);
          entries.push(part.length === 1 ? { _id: moment + part[0] } : { _id: moment + part[0], ids: part });
        }
      }
      if (entries.length > 0) await insertNew(order, entries);
    },
    /**
     * The endpoint's entries from `start` (a moment, or a keyset) in the direction, sorted, each once, the last
     * moment's in full: a moment read in part could leave out entries of another document of that moment whose
     * ids fall between (two fan-outs in one millisecond). `next` goes on past the last moment read; null at the end.
     */
    async chunk(
      endpointId: string,
      dir: 1 | -1,
      n: number,
      range: Range,
    ): Promise<{ entries: Entry[]; next: Range | null }> {
      const docs = await read(range, dir, n);
      const last = docs.at(-1);
      if (!last) return { entries: [], next: null };
      const lastAt = atOf(endpointId, last._id);
      const full = docs.length === n;
      if (full)
        docs.push(
          ...(await read(
            dir === -1
              ? { $gte: momentOf(endpointId, lastAt), $lt: last._id }
              : { $gt: last._id, $lt: pastMoment(endpointId, lastAt) },
            dir,
          )),
        );
      const entries = docs
        .flatMap((d) => {
          const at = atOf(endpointId, d._id);
          return (d.ids ?? [d._id.slice(momentOf(endpointId, at).length)]).map((id) => ({ at, id }));
        })
        .sort((a, b) => compare(a, b) * dir)
        // The same delivery listed twice in one moment (an earlier database listed again in other batches).
        .filter((e, i, all) => i === 0 || e.at !== all[i - 1]?.at || e.id !== all[i - 1]?.id);
      const next = !full
        ? null
        : dir === -1
          ? { $gt: `${endpointId}/`, $lt: momentOf(endpointId, lastAt) }
          : { $gte: pastMoment(endpointId, lastAt), $lt: `${endpointId}0` };
      return { entries, next };
    },
    /** The first range of a walk: from a keyset (exclusive, entries then filtered by it) or a moment on. */
    start(endpointId: string, dir: 1 | -1, from?: Entry, since?: Date): Range {
      if (dir === -1)
        return { $gt: `${endpointId}/`, $lt: from ? momentOf(endpointId, from.at) + from.id : `${endpointId}0` };
      const at = from?.at ?? since?.toISOString();
      return { $gte: at ? momentOf(endpointId, at) : `${endpointId}/`, $lt: `${endpointId}0` };
    },
  };
}
