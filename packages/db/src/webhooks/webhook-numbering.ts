import type { Connection } from 'mongoose';
import { insertNew } from '../mongo-errors.js';

/** A message to record: its id, the counter that numbers it, and its body once it has a number. */
export interface MessageDraft {
  id: string;
  /** the counter it takes its number from: its brand's (`sequenceCounter` in the domain) */
  counter: string;
  render: (sequence: number) => string;
}

/** A message (one event, numbered): `_id` is the `webhook-id`; its sequence is fixed when first recorded. */
interface MessageDoc {
  _id: string;
  sequence: number;
  body: string;
  createdAt: Date;
}

/**
 * Numbers messages once each (`data.sequence`) and stores their bodies. Numbers come from one counter per brand:
 * a fan-out of many events costs one counter write per brand, where a counter per influencer cost one per
 * influencer (most of the webhooks' commits under load, each a WAL flush that status writes queued behind).
 * A brand's numbers increase in the order its fan-outs take them, so each influencer's (and campaign's) do too,
 * with gaps. Counters of earlier versions (`i-<influencer>`, `c-<campaign>`) stay: a brand's counter starts above
 * every number stored, so nothing sent later gets a lower one.
 */
export function webhookNumbering(conn: Connection) {
  const messages = conn.collection<MessageDoc>('webhook_messages');
  const counters = conn.collection<{ _id: string; n: number }>('webhook_sequences');
  /** counters seen stored by this process: not looked for again */
  const known = new Set<string>();

  async function ensureCounters(keys: string[]): Promise<void> {
    const unknown = keys.filter((k) => !known.has(k));
    if (unknown.length === 0) return;
    const stored = new Set(
      (await counters.find({ _id: { $in: unknown } }, { projection: { _id: 1 } }).toArray()).map((c) => c._id),
    );
    const missing = unknown.filter((k) => !stored.has(k));
    if (missing.length > 0) {
      // Once per brand: the highest number stored (any counter, earlier versions' included) is where it starts.
      const [top] = await counters
        .find({}, { projection: { n: 1 } })
        .sort({ n: -1 })
        .limit(1)
        .toArray();
      // A plain insert, then $inc: FerretDB loses concurrent inserting upserts. Another process's insert wins.
      await insertNew(
        counters,
        missing.map((k) => ({ _id: k, n: top?.n ?? 0 })),
      );
    }
    for (const k of unknown) known.add(k);
  }

  return {
    /**
     * Each message's body, numbered once, by id: a repeated fan-out of the same event gets the stored body back
     * (a second fan-out racing the first may burn a number; sequences only have to increase). Numbers are taken
     * per counter, as many at once as it has new messages here, in the order given.
     */
    async record(drafts: readonly MessageDraft[]): Promise<Map<string, string>> {
      const bodies = new Map<string, string>();
      if (drafts.length === 0) return bodies;
      const ids = [...new Set(drafts.map((d) => d.id))];
      for (const m of await messages.find({ _id: { $in: ids } }).toArray()) bodies.set(m._id, m.body);
      const byCounter = new Map<string, MessageDraft[]>();
      const taken = new Set<string>();
      for (const d of drafts) {
        if (bodies.has(d.id) || taken.has(d.id)) continue;
        taken.add(d.id);
        const list = byCounter.get(d.counter);
        if (list) list.push(d);
        else byCounter.set(d.counter, [d]);
      }
      if (byCounter.size === 0) return bodies;
      await ensureCounters([...byCounter.keys()]);
      const now = new Date();
      const docs = (
        await Promise.all(
          [...byCounter].map(async ([key, list]) => {
            const after = await counters.findOneAndUpdate(
              { _id: key },
              { $inc: { n: list.length } },
              { returnDocument: 'after' },
            );
            if (!after) {
              // Deleted since this process saw it (a restore, by hand): the job's retry makes it again.
              known.delete(key);
              throw new Error(`sequence counter ${key} vanished`);
            }
            return list.map((d, i) => {
              const sequence = after.n - list.length + 1 + i;
              return { _id: d.id, sequence, body: d.render(sequence), createdAt: now };
            });
          }),
        )
      ).flat();
      const raced = await insertNew(messages, docs);
      docs.forEach((d, i) => raced.has(i) || bodies.set(d._id, d.body));
      if (raced.size > 0) {
        const racedIds = docs.filter((_, i) => raced.has(i)).map((d) => d._id);
        for (const m of await messages.find({ _id: { $in: racedIds } }).toArray()) bodies.set(m._id, m.body);
      }
      return bodies;
    },
  };
}
